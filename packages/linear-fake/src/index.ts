// The Node side of the fake Linear: the server and its state. Workers tests import
// `@chorus/linear-fake/control`, which needs only fetch.
export type { FakeLinearOptions, FakeResponse } from "./fake-linear.ts";
export { FakeLinear } from "./fake-linear.ts";
export type {
  FakeAnswer,
  FakeFaults,
  FakeIssue,
  FakeWorkflowState,
  IssueEdit,
  RecordedRequest,
  WebhookDelivery,
} from "./model.ts";
export type { RunningFakeLinear } from "./server.ts";
export { startFakeLinear } from "./server.ts";
