import type { Env } from "./env.ts";
import type { Route } from "./route.ts";
import * as agents from "./routes/agents.ts";
import * as branches from "./routes/branches.ts";
import * as conflicts from "./routes/conflicts.ts";
import * as context from "./routes/context.ts";
import * as events from "./routes/events.ts";
import * as history from "./routes/history.ts";
import * as integrations from "./routes/integrations.ts";
import * as overview from "./routes/overview.ts";
import * as reviews from "./routes/reviews.ts";
import * as rules from "./routes/rules.ts";
import * as settings from "./routes/settings.ts";
import * as snapshots from "./routes/snapshots.ts";
import * as spawnedAgents from "./routes/spawned-agents.ts";
import * as state from "./routes/state.ts";
import { health, metrics, openApiRoute } from "./routes/system.ts";
import * as tasks from "./routes/tasks.ts";
import * as tokens from "./routes/tokens.ts";
import * as workflows from "./routes/workflows.ts";

const API: readonly Route[] = [
  workflows.createWorkflow,
  workflows.listWorkflows,
  workflows.getWorkflow,
  workflows.updateWorkflow,
  workflows.noop,
  workflows.noopWrite,
  state.getState,
  state.commitState,
  state.patchState,
  context.getContext,
  history.history,
  history.diff,
  events.streamEvents,
  events.subscribe,
  events.createTicket,
  snapshots.createSnapshot,
  snapshots.listSnapshots,
  snapshots.restore,
  branches.createBranch,
  branches.listBranches,
  branches.mergeBranch,
  conflicts.listConflicts,
  conflicts.resolveConflict,
  history.integrity,
  history.audit,
  settings.getSettings,
  settings.updateSettings,
  tokens.createToken,
  tokens.listTokens,
  tokens.revokeToken,
  tasks.createTask,
  tasks.listTasks,
  tasks.claimTasks,
  tasks.getTask,
  tasks.heartbeatTask,
  tasks.completeTask,
  tasks.failTask,
  tasks.retryTask,
  tasks.cancelTask,
  agents.createAgent,
  agents.listAgents,
  agents.getAgent,
  agents.heartbeatAgent,
  agents.deleteAgent,
  agents.agentLeases,
  spawnedAgents.spawnAgent,
  spawnedAgents.listSpawnedAgents,
  spawnedAgents.getSpawnedAgent,
  spawnedAgents.stopSpawnedAgent,
  rules.createRule,
  rules.listRules,
  rules.getRule,
  rules.deleteRule,
  rules.ruleDeliveries,
  reviews.listReviews,
  reviews.openReview,
  reviews.getReview,
  reviews.approveReview,
  reviews.rejectReview,
  reviews.commentReview,
  overview.overview,
  overview.createOverviewTicket,
  overview.liveOverview,
  integrations.linearWebhook,
  health,
  metrics,
];

/** The tables made so far, by the operationIds they serve: one per configuration in practice. */
const tables = new Map<string, readonly Route[]>();

/**
 * Each bindings object's table: the runtime hands an isolate's requests the same `env`, so the
 * routes are filtered once, not on every request (which cost a filter and a join of every
 * operationId per request, on the path of each one).
 */
const byEnv = new WeakMap<Env, readonly Route[]>();

/**
 * The routes a gateway with these bindings serves, and so what its /openapi.json documents:
 * every route whose `enabledWhen` holds (the benchmark floors only with `BENCH_FLOORS=1`), then
 * /openapi.json itself. The same configuration gets the same table (the same object), so the
 * document is generated once.
 * @param env the worker's bindings
 * @returns the table
 */
export function routeTable(env: Env): readonly Route[] {
  const known = byEnv.get(env);
  if (known !== undefined) return known;
  const api = API.filter((route) => route.enabledWhen?.(env) ?? true);
  const key = api.map((route) => route.operationId).join(" ");
  let table = tables.get(key);
  if (table === undefined) {
    table = [...api, openApiRoute(api)];
    tables.set(key, table);
  }
  byEnv.set(env, table);
  return table;
}
