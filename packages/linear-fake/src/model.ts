/** One workflow state of a fake team. */
export interface FakeWorkflowState {
  id: string;
  name: string;
  type: "triage" | "backlog" | "unstarted" | "started" | "completed" | "canceled";
  position: number;
  color: string;
  teamId: string;
}

/** One issue as the fake stores it. */
export interface FakeIssue {
  id: string;
  identifier: string;
  number: number;
  teamId: string;
  title: string;
  description: string | null;
  stateId: string;
  assigneeId: string | null;
  labelIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** How the fake answered a request. */
export type FakeAnswer = "ok" | "error" | "rate-limited" | "outage" | "dropped" | "unauthorized";

/** One GraphQL request the fake received, in arrival order. */
export interface RecordedRequest {
  /** the GraphQL operation name the SDK sent, e.g. `createIssue` */
  operation: string;
  variables: Record<string, unknown>;
  teamId: string | undefined;
  answer: FakeAnswer;
  /** Node's clock when it arrived, ms since the epoch */
  at: number;
}

/**
 * Failures to inject for one team's requests. Linear answers a rate limit with HTTP 400,
 * `errors[0].extensions.code: "RATELIMITED"` and `X-RateLimit-Requests-*` headers (the reset as
 * ms since the epoch); an outage is a 503 until lifted; a dropped response applies a mutation
 * and then answers 502, as when a connection dies after Linear committed.
 */
export interface FakeFaults {
  /** the next `count` requests are rate-limited, until `resetAt` (ms since the epoch) */
  rateLimit?: { count: number; resetAt?: number; retryAfterSeconds?: number };
  /** while `true`, every request answers 503 */
  outage?: boolean;
  /** the next `count` mutations are applied but answered 502 */
  dropResponses?: number;
}

/** A webhook the fake would send: the exact body and the headers Linear sets. */
export interface WebhookDelivery {
  headers: Record<string, string>;
  body: string;
}

/** A change a person makes to an issue in Linear's app. */
export interface IssueEdit {
  title?: string;
  stateId?: string;
  assigneeId?: string | null;
}
