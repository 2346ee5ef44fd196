import type { Route } from "./route.ts";
import * as branches from "./routes/branches.ts";
import * as conflicts from "./routes/conflicts.ts";
import * as events from "./routes/events.ts";
import * as history from "./routes/history.ts";
import * as settings from "./routes/settings.ts";
import * as snapshots from "./routes/snapshots.ts";
import * as state from "./routes/state.ts";
import { health, metrics, openApiRoute } from "./routes/system.ts";
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
  health,
  metrics,
];

/** Every route of the gateway: what the router serves and what /openapi.json documents. */
export const ROUTES: readonly Route[] = [...API, openApiRoute(API)];
