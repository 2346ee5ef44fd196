import type { LinearSendFailure, LinearWorkflowState, SyncedIssueFields } from "@chorus/core";
import { LinearClient, LinearError, LinearErrorType } from "@linear/sdk";

/** Linear's GraphQL endpoint, unless `LINEAR_API_URL` names another (the tests' fake). */
export const LINEAR_API_URL = "https://api.linear.app/graphql";

/** What the Linear State Agent asks of Linear, every call through `@linear/sdk`. */
export interface LinearApi {
  /** the team's workflow states */
  states(teamId: string): Promise<LinearWorkflowState[]>;
  /** whether the issue exists (a retried create first looks, so it never makes two) */
  exists(issueId: string): Promise<boolean>;
  /** creates the issue with the id the agent chose */
  create(input: {
    id: string;
    teamId: string;
    title: string;
    fields: SyncedIssueFields;
    labelIds: string[] | undefined;
  }): Promise<void>;
  update(issueId: string, fields: SyncedIssueFields): Promise<void>;
}

/**
 * The Linear API of the agents worker: a `LinearClient` with the `LINEAR_API_KEY` secret (never a
 * key from a request) at `LINEAR_API_URL`.
 * @param env the worker's bindings
 * @returns the API, or `undefined` when no key is configured
 */
export function linearApi(env: {
  LINEAR_API_KEY?: string;
  LINEAR_API_URL?: string;
}): LinearApi | undefined {
  if (env.LINEAR_API_KEY === undefined || env.LINEAR_API_KEY === "") return undefined;
  const client = new LinearClient({
    apiKey: env.LINEAR_API_KEY,
    apiUrl: env.LINEAR_API_URL || LINEAR_API_URL,
  });
  return {
    async states(teamId) {
      const states = await client.workflowStates({
        filter: { team: { id: { eq: teamId } } },
        first: 250,
      });
      return states.nodes.map(({ id, name, type, position }) => ({ id, name, type, position }));
    },
    async exists(issueId) {
      const found = await client.issues({ filter: { id: { eq: issueId } } });
      return found.nodes.length > 0;
    },
    async create({ id, teamId, title, fields, labelIds }) {
      await client.createIssue({
        id,
        teamId,
        title,
        ...(fields.stateId === undefined ? {} : { stateId: fields.stateId }),
        ...(fields.assigneeId === undefined ? {} : { assigneeId: fields.assigneeId }),
        ...(labelIds === undefined ? {} : { labelIds }),
      });
    },
    async update(issueId, fields) {
      await client.updateIssue(issueId, fields);
    },
  };
}

function isRateLimit(error: LinearError): boolean {
  if (error.type === LinearErrorType.Ratelimited) return true;
  // Linear marks a rate limit with `extensions.code: "RATELIMITED"` (on an HTTP 400); the SDK
  // reads `extensions.type`, so the code is checked too.
  const raw = error.raw as { response?: { errors?: { extensions?: { code?: unknown } }[] } };
  return raw?.response?.errors?.some((e) => e.extensions?.code === "RATELIMITED") ?? false;
}

function header(error: LinearError, name: string): number | undefined {
  const raw = error.raw as { response?: { headers?: Headers } };
  const value = raw?.response?.headers?.get(name);
  const parsed = value === null || value === undefined || value === "" ? Number.NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Sorts a failed call: a rate limit, with the time Linear asks to wait for (`Retry-After` in
 * seconds, else the latest `X-RateLimit-*-Reset`, ms since the epoch), or any other failure.
 * @param error what the SDK threw
 * @param now the agent's clock
 * @returns the failure, for the pending queue's rules
 */
export function linearFailure(error: unknown, now: number): LinearSendFailure {
  const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
  if (!(error instanceof LinearError) || !isRateLimit(error)) return { kind: "failed", message };
  const retryAfter = header(error, "retry-after");
  const resets = [
    header(error, "x-ratelimit-requests-reset"),
    header(error, "x-ratelimit-complexity-reset"),
  ].filter((reset): reset is number => reset !== undefined && reset > now);
  const until =
    retryAfter !== undefined
      ? now + retryAfter * 1000
      : resets.length > 0
        ? Math.max(...resets)
        : undefined;
  return { kind: "rate-limited", until, message };
}
