import type {
  FakeFaults,
  FakeIssue,
  FakeWorkflowState,
  IssueEdit,
  RecordedRequest,
  WebhookDelivery,
} from "./model.ts";

export type { FakeFaults, FakeIssue, IssueEdit, RecordedRequest, WebhookDelivery };

/**
 * The tests' handle on a running fake over HTTP, with `fetch` only, so it works inside workerd
 * as well as in Node. One team per test keeps tests that share the fake apart.
 *
 * @example
 * const linear = new FakeLinearControl(inject("linearUrl"), "team-a");
 * await linear.faults({ outage: true });
 */
export class FakeLinearControl {
  readonly #base: string;
  readonly #teamId: string;

  /**
   * @param url the fake's base URL (`RunningFakeLinear.url`)
   * @param teamId the team this handle looks at
   */
  constructor(url: string, teamId: string) {
    this.#base = url.replace(/\/$/, "");
    this.#teamId = teamId;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`fake Linear ${method} ${path}: ${response.status}`);
    return (await response.json()) as T;
  }

  /** @returns the team's issues, the requests it received in order, and its workflow states */
  team(): Promise<{
    issues: FakeIssue[];
    requests: RecordedRequest[];
    states: FakeWorkflowState[];
  }> {
    return this.#call("GET", `/_fake/teams/${encodeURIComponent(this.#teamId)}`);
  }

  /** @param faults the failures to inject from now on (replacing earlier ones) */
  async faults(faults: FakeFaults): Promise<void> {
    await this.#call("PUT", `/_fake/teams/${encodeURIComponent(this.#teamId)}/faults`, faults);
  }

  /** @returns the webhooks Linear would have sent since the last take, oldest first */
  async takeWebhooks(): Promise<WebhookDelivery[]> {
    const taken = await this.#call<{ deliveries: WebhookDelivery[] }>(
      "POST",
      `/_fake/teams/${encodeURIComponent(this.#teamId)}/webhooks/take`,
    );
    return taken.deliveries;
  }

  /**
   * Edits an issue as a person in Linear's app would.
   * @param issueId the issue
   * @param edit the new values
   * @param timestamp the webhook's `webhookTimestamp`; defaults to the fake's now
   * @returns the issue after the edit and its signed webhook
   */
  edit(
    issueId: string,
    edit: IssueEdit,
    timestamp?: number,
  ): Promise<{ issue: FakeIssue; delivery: WebhookDelivery }> {
    return this.#call("POST", `/_fake/issues/${encodeURIComponent(issueId)}/edit`, {
      edit,
      ...(timestamp === undefined ? {} : { timestamp }),
    });
  }
}
