import { randomUUID } from "node:crypto";
import { issueConnection, issueNode, issuePayload, stateConnection } from "./graphql-shapes.ts";
import type {
  FakeAnswer,
  FakeFaults,
  FakeIssue,
  FakeWorkflowState,
  IssueEdit,
  RecordedRequest,
  WebhookDelivery,
} from "./model.ts";
import { issueWebhook } from "./webhook.ts";

/** An HTTP answer of the fake's GraphQL endpoint. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Options of {@link FakeLinear}. */
export interface FakeLinearOptions {
  /** the API key requests must send in `Authorization` (Linear takes a personal key bare) */
  apiKey: string;
  /** the secret its webhooks are signed with */
  webhookSecret: string;
}

type Variables = Record<string, unknown>;

class GraphqlError extends Error {}

const DEFAULT_STATES: [string, FakeWorkflowState["type"]][] = [
  ["Backlog", "backlog"],
  ["Todo", "unstarted"],
  ["In Progress", "started"],
  ["In Review", "started"],
  ["Done", "completed"],
  ["Canceled", "canceled"],
];

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

function stateKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, "-");
}

function record(value: unknown): Variables {
  return typeof value === "object" && value !== null ? (value as Variables) : {};
}

/**
 * The fake's state and behaviour, apart from HTTP: Linear's issues and team workflow states, the
 * GraphQL operations the SDK sends for them, injected faults, a record of every request and the
 * signed webhooks Linear would send. Any team id is a team: it gets the default states (ids
 * `<team>-backlog`, `<team>-todo`, `<team>-in-progress`, `<team>-in-review`, `<team>-done`,
 * `<team>-canceled`) on first use, so each test can use a team of its own, and faults, records
 * and webhooks are kept per team.
 */
export class FakeLinear {
  readonly #options: FakeLinearOptions;
  readonly #states = new Map<string, FakeWorkflowState[]>();
  readonly #issues = new Map<string, FakeIssue>();
  readonly #requests: RecordedRequest[] = [];
  readonly #faults = new Map<string, FakeFaults>();
  readonly #webhooks = new Map<string, WebhookDelivery[]>();
  #syncId = 0;

  /** @param options the API key and the webhook secret */
  constructor(options: FakeLinearOptions) {
    this.#options = options;
  }

  /**
   * A team's workflow states, made on first use.
   * @param teamId the team
   * @returns its states by position
   */
  states(teamId: string): FakeWorkflowState[] {
    let states = this.#states.get(teamId);
    if (states === undefined) {
      states = DEFAULT_STATES.map(([name, type], position) => ({
        id: `${teamId}-${stateKey(name)}`,
        name,
        type,
        position,
        color: "#bec2c8",
        teamId,
      }));
      this.#states.set(teamId, states);
    }
    return states;
  }

  /**
   * What the fake holds for a team: its issues (by creation) and the requests it received.
   * @param teamId the team
   * @returns copies
   */
  team(teamId: string): { issues: FakeIssue[]; requests: RecordedRequest[] } {
    return {
      issues: [...this.#issues.values()].filter((i) => i.teamId === teamId).map((i) => ({ ...i })),
      requests: this.#requests.filter((r) => r.teamId === teamId),
    };
  }

  /**
   * Sets the failures to inject into a team's requests (replacing those set before).
   * @param teamId the team
   * @param faults the failures
   */
  setFaults(teamId: string, faults: FakeFaults): void {
    this.#faults.set(teamId, { ...faults });
  }

  /**
   * Takes the webhooks Linear would have sent for a team's issues since the last take, oldest
   * first: one per create or update, whoever made it (Linear sends them for API changes too,
   * which is where echoes come from).
   * @param teamId the team
   * @returns the deliveries
   */
  takeWebhooks(teamId: string): WebhookDelivery[] {
    const deliveries = this.#webhooks.get(teamId) ?? [];
    this.#webhooks.set(teamId, []);
    return deliveries;
  }

  /**
   * A person edits an issue in Linear's app.
   * @param issueId the issue
   * @param edit the new values
   * @param timestamp the webhook's `webhookTimestamp` (ms); defaults to now
   * @returns the issue after the edit and its signed webhook (also queued for {@link takeWebhooks})
   */
  editIssue(
    issueId: string,
    edit: IssueEdit,
    timestamp = Date.now(),
  ): { issue: FakeIssue; delivery: WebhookDelivery } {
    const issue = this.#issues.get(issueId);
    if (issue === undefined) throw new Error(`no issue ${issueId}`);
    const delivery = this.#update(issue, edit, timestamp);
    return { issue: { ...issue }, delivery };
  }

  /**
   * Answers one GraphQL request as Linear would.
   * @param authorization the `Authorization` header
   * @param body the request body, parsed
   * @returns the answer
   */
  graphql(authorization: string | undefined, body: unknown): FakeResponse {
    const { query, variables } = record(body);
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(String(query))?.[1] ?? "anonymous";
    const vars = record(variables);
    const teamId = this.#teamOf(operation, vars);
    const answer = (kind: FakeAnswer, response: FakeResponse): FakeResponse => {
      this.#requests.push({ operation, variables: vars, teamId, answer: kind, at: Date.now() });
      return response;
    };
    if (authorization !== this.#options.apiKey) {
      return answer(
        "unauthorized",
        json(400, {
          errors: [
            {
              message: "Authentication required, not authenticated",
              extensions: { type: "authentication error", code: "AUTHENTICATION_ERROR" },
            },
          ],
        }),
      );
    }
    const faults = teamId === undefined ? undefined : this.#faults.get(teamId);
    if (faults?.outage) {
      return answer("outage", {
        status: 503,
        headers: { "Content-Type": "text/plain" },
        body: "upstream unavailable",
      });
    }
    if (faults?.rateLimit !== undefined && faults.rateLimit.count > 0) {
      faults.rateLimit.count--;
      return answer("rate-limited", this.#rateLimited(faults.rateLimit));
    }
    try {
      const data = this.#execute(operation, vars);
      const mutation = operation === "createIssue" || operation === "updateIssue";
      if (mutation && faults?.dropResponses !== undefined && faults.dropResponses > 0) {
        faults.dropResponses--;
        return answer("dropped", {
          status: 502,
          headers: { "Content-Type": "text/plain" },
          body: "bad gateway",
        });
      }
      return answer("ok", json(200, { data }));
    } catch (error) {
      if (!(error instanceof GraphqlError)) throw error;
      return answer(
        "error",
        json(400, {
          errors: [
            {
              message: error.message,
              extensions: { type: "invalid input", code: "INPUT_ERROR", userError: true },
            },
          ],
        }),
      );
    }
  }

  #rateLimited(limit: NonNullable<FakeFaults["rateLimit"]>): FakeResponse {
    const headers: Record<string, string> = {
      "X-RateLimit-Requests-Limit": "1500",
      "X-RateLimit-Requests-Remaining": "0",
    };
    if (limit.resetAt !== undefined) headers["X-RateLimit-Requests-Reset"] = String(limit.resetAt);
    if (limit.retryAfterSeconds !== undefined) {
      headers["Retry-After"] = String(limit.retryAfterSeconds);
    }
    return json(
      400,
      {
        errors: [
          {
            message: "Rate limit exceeded",
            extensions: {
              code: "RATELIMITED",
              type: "ratelimited",
              userPresentableMessage: "You have exceeded the rate limit.",
            },
          },
        ],
      },
      headers,
    );
  }

  #teamOf(operation: string, vars: Variables): string | undefined {
    const input = record(vars.input);
    const filter = record(vars.filter);
    switch (operation) {
      case "createIssue":
        return typeof input.teamId === "string" ? input.teamId : undefined;
      case "updateIssue":
      case "issue":
        return this.#issues.get(String(vars.id))?.teamId;
      case "issues": {
        const id = record(filter.id).eq;
        if (typeof id === "string") return this.#issues.get(id)?.teamId;
        const team = record(record(filter.team).id).eq;
        return typeof team === "string" ? team : undefined;
      }
      case "workflowStates": {
        const team = record(record(filter.team).id).eq;
        return typeof team === "string" ? team : undefined;
      }
      default:
        return undefined;
    }
  }

  #execute(operation: string, vars: Variables): Record<string, unknown> {
    switch (operation) {
      case "createIssue":
        return { issueCreate: issuePayload(this.#create(record(vars.input)), ++this.#syncId) };
      case "updateIssue": {
        const issue = this.#issues.get(String(vars.id));
        if (issue === undefined) throw new GraphqlError("Entity not found: Issue");
        this.#update(issue, this.#edit(issue.teamId, record(vars.input)), Date.now());
        return { issueUpdate: issuePayload(issue, ++this.#syncId) };
      }
      case "issue": {
        const issue = this.#issues.get(String(vars.id));
        if (issue === undefined) throw new GraphqlError("Entity not found: Issue");
        return { issue: issueNode(issue) };
      }
      case "issues":
        return { issues: issueConnection(this.#filterIssues(record(vars.filter))) };
      case "workflowStates": {
        const team = record(record(record(vars.filter).team).id).eq;
        if (typeof team !== "string") throw new GraphqlError("the fake needs filter.team.id.eq");
        return { workflowStates: stateConnection(this.states(team)) };
      }
      default:
        throw new GraphqlError(`the fake does not answer operation ${operation}`);
    }
  }

  #filterIssues(filter: Variables): FakeIssue[] {
    const id = record(filter.id);
    const team = record(record(filter.team).id).eq;
    return [...this.#issues.values()].filter(
      (issue) =>
        (id.eq === undefined || issue.id === id.eq) &&
        (!Array.isArray(id.in) || id.in.includes(issue.id)) &&
        (team === undefined || issue.teamId === team),
    );
  }

  #create(input: Variables): FakeIssue {
    if (typeof input.teamId !== "string") throw new GraphqlError("teamId is required");
    if (typeof input.title !== "string") throw new GraphqlError("title is required");
    const id = typeof input.id === "string" ? input.id : randomUUID();
    if (this.#issues.has(id)) throw new GraphqlError("Entity already exists: Issue");
    const states = this.states(input.teamId);
    const edit = this.#edit(input.teamId, input);
    const number = [...this.#issues.values()].filter((i) => i.teamId === input.teamId).length + 1;
    const now = new Date().toISOString();
    const issue: FakeIssue = {
      id,
      identifier: `${input.teamId.slice(0, 3).toUpperCase()}-${number}`,
      number,
      teamId: input.teamId,
      title: input.title,
      description: typeof input.description === "string" ? input.description : null,
      stateId: edit.stateId ?? states[0]?.id ?? "",
      assigneeId: edit.assigneeId ?? null,
      labelIds: Array.isArray(input.labelIds) ? input.labelIds.map(String) : [],
      createdAt: now,
      updatedAt: now,
    };
    this.#issues.set(id, issue);
    this.#queueWebhook(issueWebhook({ action: "create", issue, ...this.#signing() }), issue);
    return issue;
  }

  #edit(teamId: string, input: Variables): IssueEdit {
    const edit: IssueEdit = {};
    if (typeof input.title === "string") edit.title = input.title;
    if (input.stateId !== undefined) {
      if (!this.states(teamId).some((state) => state.id === input.stateId)) {
        throw new GraphqlError("stateId is not a workflow state of the issue's team");
      }
      edit.stateId = String(input.stateId);
    }
    if (input.assigneeId !== undefined) {
      edit.assigneeId = input.assigneeId === null ? null : String(input.assigneeId);
    }
    return edit;
  }

  #update(issue: FakeIssue, edit: IssueEdit, timestamp: number): WebhookDelivery {
    const updatedFrom: Record<string, unknown> = { updatedAt: issue.updatedAt };
    for (const key of ["title", "stateId", "assigneeId"] as const) {
      const value = edit[key];
      if (value !== undefined && value !== issue[key]) {
        updatedFrom[key] = issue[key];
        Object.assign(issue, { [key]: value });
      }
    }
    issue.updatedAt = new Date().toISOString();
    const delivery = issueWebhook({
      action: "update",
      issue,
      updatedFrom,
      secret: this.#options.webhookSecret,
      timestamp,
    });
    this.#queueWebhook(delivery, issue);
    return delivery;
  }

  #signing(): { secret: string; timestamp: number } {
    return { secret: this.#options.webhookSecret, timestamp: Date.now() };
  }

  #queueWebhook(delivery: WebhookDelivery, issue: FakeIssue): void {
    const queue = this.#webhooks.get(issue.teamId) ?? [];
    queue.push(delivery);
    this.#webhooks.set(issue.teamId, queue);
  }
}
