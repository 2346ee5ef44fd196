// The HTTP calls of the tasks bench: workflows, agents and tasks as an operator and agents
// would make them through the gateway, each checked for its expected status.
import { benchState } from "./state-doc.ts";

/** The stack and the admin token. */
export interface Gateway {
  url: string;
  token: string;
}

/** An agent registered for one workflow, with its own token. */
export interface BenchAgent {
  id: string;
  token: string;
  workflowId: string;
}

/** One claim + complete: the ms each took. */
export interface Cycle {
  claim: number;
  complete: number;
}

/**
 * A setup call, tried again (up to 3 times) when the connection drops before an answer: workerd
 * may close a kept-alive socket just as the next request goes out. Only for setup, where doing
 * a create twice is harmless; measured requests are sent once.
 */
async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 3 || !(error instanceof TypeError)) throw error;
    }
  }
}

async function send(
  gateway: Gateway,
  method: string,
  path: string,
  body: unknown,
  expected: number,
  token = gateway.token,
  contentType = "application/json",
): Promise<unknown> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": contentType }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path}: ${response.status}, expected ${expected}: ${text}`);
  }
  return text === "" ? undefined : JSON.parse(text);
}

/** Creates a workflow holding the bench's 1 KB state. @returns its id */
export async function createWorkflow(gateway: Gateway, index: number): Promise<string> {
  const created = (await retried(() =>
    send(
      gateway,
      "POST",
      "/api/workflows",
      { name: `tasks bench ${index}`, initialState: benchState(index, 0) },
      201,
    ),
  )) as { workflow: { id: string } };
  return created.workflow.id;
}

/**
 * Creates a workflow holding a copy of another's state, to commit to a state the size of a
 * task board.
 * @returns its id and the id of one of its tasks
 */
export async function copyWorkflow(
  gateway: Gateway,
  workflowId: string,
  index: number,
): Promise<{ workflowId: string; taskId: string }> {
  const read = (await retried(() =>
    send(gateway, "GET", `/api/workflows/${workflowId}/state`, undefined, 200),
  )) as { state: { tasks?: Record<string, unknown> } };
  const taskId = Object.keys(read.state.tasks ?? {})[0];
  if (taskId === undefined) throw new Error(`workflow ${workflowId} has no task to copy`);
  const created = (await retried(() =>
    send(
      gateway,
      "POST",
      "/api/workflows",
      { name: `tasks bench copy ${index}`, initialState: read.state },
      201,
    ),
  )) as { workflow: { id: string } };
  return { workflowId: created.workflow.id, taskId };
}

/**
 * Registers an agent limited to one workflow. Its ttl is the longest allowed: the bench's agents
 * are heard only when they work, and must not go offline while another row runs.
 */
export async function registerAgent(gateway: Gateway, workflowId: string): Promise<BenchAgent> {
  const registered = (await retried(() =>
    send(
      gateway,
      "POST",
      "/api/agents",
      {
        name: "bench agent",
        type: "bench",
        capabilities: [],
        maxConcurrency: 1,
        ttlMs: 3_600_000,
        workflowIds: [workflowId],
      },
      201,
    ),
  )) as { agent: { id: string }; token: string };
  return { id: registered.agent.id, token: registered.token, workflowId };
}

/** Creates a ready task with nothing to wait on. */
export async function createTask(gateway: Gateway, workflowId: string): Promise<void> {
  await retried(() =>
    send(gateway, "POST", `/api/workflows/${workflowId}/tasks`, { type: "bench" }, 201),
  );
}

/**
 * One claim + complete cycle as the agent, with its own token: claims one task, completes it
 * under the lease.
 * @returns how long each request took
 */
export async function cycle(gateway: Gateway, agent: BenchAgent): Promise<Cycle> {
  const at = `/api/workflows/${agent.workflowId}/tasks`;
  const started = performance.now();
  const { claims } = (await send(
    gateway,
    "POST",
    `${at}/claim`,
    { agentId: agent.id },
    200,
    agent.token,
  )) as { claims: { task: { id: string }; lease: { id: string } }[] };
  const claimed = performance.now();
  const [claim] = claims;
  if (claim === undefined) throw new Error(`agent ${agent.id} found no ready task`);
  await send(
    gateway,
    "POST",
    `${at}/${encodeURIComponent(claim.task.id)}/complete`,
    { leaseId: claim.lease.id, result: { ok: true } },
    200,
    agent.token,
  );
  return { claim: claimed - started, complete: performance.now() - claimed };
}

/**
 * One commit: a one-operation JSON Patch, no `baseVersion`: by default of the 1 KB state's
 * `/metadata/step`; `taskId` edits that task's title instead, as a task transition changes one
 * task of the board.
 * @returns how long it took, in ms
 */
export async function commit(
  gateway: Gateway,
  workflowId: string,
  step: number,
  taskId?: string,
): Promise<number> {
  const started = performance.now();
  const op =
    taskId === undefined
      ? { op: "replace", path: "/metadata/step", value: step }
      : { op: "add", path: `/tasks/${taskId}/title`, value: `step ${step}` };
  await send(
    gateway,
    "PATCH",
    `/api/workflows/${workflowId}/state`,
    [op],
    201,
    gateway.token,
    "application/json-patch+json",
  );
  return performance.now() - started;
}

/** @returns the size of the workflow's state as JSON, in bytes */
export async function stateBytes(gateway: Gateway, workflowId: string): Promise<number> {
  const read = (await retried(() =>
    send(gateway, "GET", `/api/workflows/${workflowId}/state`, undefined, 200),
  )) as {
    state: unknown;
  };
  return JSON.stringify(read.state).length;
}

/**
 * Runs `job` over `items`, `concurrency` at a time.
 * @returns the results in the items' order
 */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  job: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        results[index] = await job(items[index] as T, index);
      }
    }),
  );
  return results;
}
