import type {
  AgentList,
  AuditPage,
  Branch,
  CommitResult,
  DiffResult,
  HistoryPage,
  JsonValue,
  Overview,
  Problem,
  QueuedConflict,
  Review,
  Snapshot,
  StateRead,
  StreamTicket,
  TaskList,
  WorkflowDetail,
  WorkflowPage,
} from "@chorus/core";
import { token } from "./session.ts";

/** A refused request: the problem+json answer's title, detail and status. */
export class ApiError extends Error {
  /**
   * @param status the HTTP status
   * @param problem the problem+json body, when there was one
   */
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
  }
}

/**
 * One call of the Chorus API with the signed-in token.
 * @param method the HTTP method
 * @param path the path and query
 * @param body a JSON body, if any
 * @returns the parsed answer (`undefined` for 204)
 */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const parsed: unknown = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, parsed as Partial<Problem>);
  return parsed as T;
}

const wf = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;
const query = (params: Record<string, string | number | undefined>) => {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== "");
  return entries.length === 0
    ? ""
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
};

/** The API calls the page makes, typed with core's schemas. */
export const api = {
  overview: () => call<Overview>("GET", "/api/overview"),
  overviewTicket: () => call<StreamTicket>("POST", "/api/overview/tickets"),
  workflows: (filter: { status?: string; tag?: string; cursor?: string }) =>
    call<WorkflowPage>("GET", `/api/workflows${query({ ...filter, limit: 50 })}`),
  workflow: (id: string) => call<WorkflowDetail>("GET", wf(id)),
  state: (id: string, version?: number) =>
    call<StateRead>("GET", `${wf(id)}/state${query({ version })}`),
  history: (id: string) => call<HistoryPage>("GET", `${wf(id)}/history?limit=500`),
  audit: (id: string) => call<AuditPage>("GET", `${wf(id)}/audit?limit=500`),
  diff: (id: string, from: number, to: number) =>
    call<DiffResult>("GET", `${wf(id)}/diff${query({ from, to })}`),
  conflicts: (id: string) =>
    call<{ conflicts: QueuedConflict[] }>("GET", `${wf(id)}/conflicts?status=open`),
  resolve: (
    id: string,
    cid: string,
    resolution: "ours" | "theirs" | { values: Record<string, JsonValue> },
  ) =>
    call<CommitResult>("POST", `${wf(id)}/conflicts/${encodeURIComponent(cid)}/resolve`, {
      resolution,
    }),
  snapshots: (id: string) => call<{ snapshots: Snapshot[] }>("GET", `${wf(id)}/snapshots`),
  snapshot: (id: string, description: string) =>
    call<Snapshot>("POST", `${wf(id)}/snapshots`, { description }),
  restore: (id: string, snapshotId: string) =>
    call<CommitResult>("POST", `${wf(id)}/restore`, { snapshotId }),
  branches: (id: string) => call<{ branches: Branch[] }>("GET", `${wf(id)}/branches`),
  branch: (id: string, name: string) => call<Branch>("POST", `${wf(id)}/branches`, { name }),
  merge: (id: string, name: string, into: string) =>
    call<CommitResult>("POST", `${wf(id)}/branches/${encodeURIComponent(name)}/merge`, { into }),
  reviews: (id: string) => call<{ reviews: Review[] }>("GET", `${wf(id)}/reviews`),
  decide: (id: string, rid: string, decision: "approve" | "reject") =>
    call<Review>("POST", `${wf(id)}/reviews/${encodeURIComponent(rid)}/${decision}`, {}),
  tasks: (id: string) => call<TaskList>("GET", `${wf(id)}/tasks`),
  agents: (id: string) => call<AgentList>("GET", `/api/agents${query({ workflowId: id })}`),
  ticket: (id: string) => call<StreamTicket>("POST", `${wf(id)}/tickets`),
};
