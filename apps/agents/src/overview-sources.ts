import {
  type AgentRecord,
  type QueuedConflict,
  type Result,
  type StateVersion,
  type Task,
  unwrap,
  type WorkflowRecord,
  type WorkflowSample,
} from "@chorus/core";

// Bounds on what one refresh reads: registry pages, workflows looked at in detail, and versions
// read from each (the figures GET /api/overview has always described).
const MAX_PAGES = 10;
/** How many workflows the overview looks at in detail. */
export const SAMPLED_WORKFLOWS = 20;
const VERSIONS = 50;
const ACTIVE = new Set<WorkflowRecord["status"]>(["pending", "running", "paused"]);

/** The coordinator's and state manager's methods the dashboard reads, with plain Results. */
interface Sources {
  listWorkflows(input: {
    limit: number;
    cursor?: string;
  }): Promise<Result<{ workflows: WorkflowRecord[]; nextCursor: string | null }>>;
  listAgents(input: Record<string, never>): Promise<Result<AgentRecord[]>>;
  listTasks(input: { workflowId: string }): Promise<Result<{ tasks: Task[] }>>;
  listConflicts(input: { workflowId: string }): Promise<Result<QueuedConflict[]>>;
  history(input: {
    workflowId: string;
    limit: number;
  }): Promise<Result<{ versions: StateVersion[] }>>;
}

function sourcesOf(env: AgentsEnv): Sources {
  // The bindings' own types wrap results in RPC stubs that do not narrow on `ok`.
  const coordinator = env.COORDINATOR as unknown as Sources;
  const state = env.STATE as unknown as Sources;
  return {
    listWorkflows: (input) => coordinator.listWorkflows(input),
    listAgents: (input) => coordinator.listAgents(input),
    listTasks: (input) => state.listTasks(input),
    listConflicts: (input) => state.listConflicts(input),
    history: (input) => state.history(input),
  };
}

/**
 * Reads every registered workflow (up to 1,000, newest first) and every agent from the
 * coordinator.
 * @param env the agents worker's bindings
 * @returns the two lists
 */
export async function readRegistry(
  env: AgentsEnv,
): Promise<{ workflows: WorkflowRecord[]; agents: AgentRecord[] }> {
  const sources = sourcesOf(env);
  const [workflows, agents] = await Promise.all([
    allWorkflows(sources),
    sources.listAgents({}).then(unwrap),
  ]);
  return { workflows, agents };
}

async function allWorkflows(sources: Sources): Promise<WorkflowRecord[]> {
  const records: WorkflowRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = { limit: 100, ...(cursor === undefined ? {} : { cursor }) };
    const { workflows, nextCursor } = unwrap(await sources.listWorkflows(query));
    records.push(...workflows);
    if (nextCursor === null) break;
    cursor = nextCursor;
  }
  return records;
}

/**
 * The workflows the overview looks at in detail: the newest {@link SAMPLED_WORKFLOWS}, those
 * pending, running or paused first.
 * @param workflows every registered workflow, newest first
 * @returns the ones to sample
 */
export function pickSampled(workflows: readonly WorkflowRecord[]): WorkflowRecord[] {
  return [
    ...workflows.filter((record) => ACTIVE.has(record.status)),
    ...workflows.filter((record) => !ACTIVE.has(record.status)),
  ].slice(0, SAMPLED_WORKFLOWS);
}

/**
 * Reads one workflow's tasks, conflicts and newest versions from its state manager.
 * @param env the agents worker's bindings
 * @param workflow the workflow's registry record
 * @returns its sample
 */
export async function readSample(
  env: AgentsEnv,
  workflow: WorkflowRecord,
): Promise<WorkflowSample> {
  const sources = sourcesOf(env);
  const workflowId = workflow.id;
  const [tasks, conflicts, history] = await Promise.all([
    sources.listTasks({ workflowId }).then(unwrap),
    sources.listConflicts({ workflowId }).then(unwrap),
    sources.history({ workflowId, limit: VERSIONS }).then(unwrap),
  ]);
  return { workflow, tasks: tasks.tasks, conflicts, versions: history.versions };
}
