import {
  ErrorCodes,
  type ErrorData,
  type JsonObject,
  type Result,
  type StateEvent,
} from "@chorus/core";
import type { AgentCommit } from "./base-agent.ts";
import type { CoordinatorCalls } from "./coordinator-calls.ts";
import { originDescription } from "./rule-origin.ts";
import type { RuleTable, StoredRule } from "./rule-table.ts";

/** What an action did: its effect, or why it was refused. */
export type ActionOutcome =
  | { outcome: "done"; effect: JsonObject }
  | { outcome: "failed"; reason: string };

/** What the actions need of the bridge. */
export interface ActionContext {
  workflowId: string;
  author: string;
  depth: number;
  commit(change: AgentCommit): Promise<Result<{ version: { version: number } }>>;
  coordinator: CoordinatorCalls;
  table: RuleTable;
  now: number;
}

/**
 * Carries out a rule's action for a version, keyed by rule and version so that a repeat (the
 * event handed over again after a crash) has no second effect: `set` commits with an idempotency
 * key, `createTask` creates a task whose id is made from both, `webhook` queues one delivery
 * with that id. A refusal the caller made (a bad patch, a conflict) is a `failed` outcome; a
 * system failure throws, so the event is handed over again later.
 */
export async function runAction(
  rule: StoredRule,
  event: StateEvent,
  context: ActionContext,
): Promise<ActionOutcome> {
  const key = `${rule.id}:${event.version}`;
  const then = rule.then;
  if (then.action === "set") {
    const committed = await context.commit({
      patch: [{ op: "add", path: then.path, value: then.value }],
      baseVersion: event.version,
      description: originDescription(rule.id, event.version, context.depth),
      idempotencyKey: `rule:${key}`,
    });
    if (!committed.ok) return refused(committed.error);
    return { outcome: "done", effect: { version: committed.value.version.version } };
  }
  if (then.action === "createTask") {
    const taskId = `rule-${rule.id}-v${event.version}`;
    const created = await context.coordinator.createTask({
      workflowId: context.workflowId,
      author: context.author,
      task: { ...then.task, id: taskId },
    });
    if (!created.ok) return refused(created.error);
    return { outcome: "done", effect: { taskId } };
  }
  const body = JSON.stringify({
    deliveryId: key,
    ruleId: rule.id,
    workflowId: context.workflowId,
    version: event.version,
    author: event.author,
    changeDescription: event.changeDescription,
    timestamp: event.timestamp,
    changes: event.changes,
  });
  context.table.enqueue(
    { id: key, ruleId: rule.id, version: event.version, url: then.url, secret: then.secret, body },
    context.now,
  );
  return { outcome: "done", effect: { deliveryId: key } };
}

function refused(error: ErrorData): ActionOutcome {
  if (ErrorCodes[error.code] === "system") throw new Error(`${error.code}: ${error.message}`);
  return { outcome: "failed", reason: `${error.code}: ${error.message}` };
}
