import {
  applyPatch,
  ChorusError,
  isJsonObject,
  type JsonValue,
  type StateVersion,
  type Task,
  tasksPatch,
  validateStateChange,
  validationError,
} from "@chorus/core";
import type { Timers } from "./task-timers.ts";
import { VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** The branch that holds the task board: tasks are claimed and completed on `main` only. */
export const BOARD_BRANCH = "main";

/** A workflow with its timers: what every task operation works on. */
export interface TaskContext extends WorkflowContext {
  readonly timers: Timers;
}

/** The board as the head of `main` holds it. */
export interface Board {
  head: number;
  state: JsonValue;
  tasks: Readonly<Record<string, Task>>;
}

/**
 * Reads the task board: the head of `main` and its tasks. Committed states were validated, so
 * the tasks are read as they are.
 * @param ctx the workflow
 * @returns the head version, its state and its tasks
 */
export async function readBoard(ctx: WorkflowContext): Promise<Board> {
  const head = ctx.branches.requireHead(BOARD_BRANCH);
  const state = await ctx.versions.stateAt(head);
  const tasks = isJsonObject(state) && isJsonObject(state.tasks) ? state.tasks : {};
  return { head, state, tasks: tasks as unknown as Record<string, Task> };
}

/**
 * @param board the board
 * @param taskId a task's id
 * @returns the task
 * @throws ChorusError `NOT_FOUND` at `/taskId`
 */
export function requireTask(board: Board, taskId: string): Task {
  const task = Object.hasOwn(board.tasks, taskId) ? board.tasks[taskId] : undefined;
  if (task === undefined) {
    throw new ChorusError("NOT_FOUND", `task ${taskId} does not exist`, { path: "/taskId" });
  }
  return task;
}

/** One commit of task transitions. */
export interface TaskCommit {
  /** the tasks after their transitions */
  tasks: readonly Task[];
  author: string;
  description: string;
  /** remembers `answer(version)` under this key, with the version, for replays */
  idempotencyKey?: string;
  answer?: (version: StateVersion) => unknown;
}

/**
 * Commits task transitions as one version on `main`, through the same path as every commit
 * (checksum, history, counters, audit), with the tasks' timers and the idempotency key in the
 * same transaction: the version and what the board does next never disagree.
 * @param ctx the workflow
 * @param board the board the transitions were computed from (read in the same write turn)
 * @param change the transitions
 * @returns the new version
 * @throws ChorusError `VALIDATION_FAILED` when a task would not be valid in the state
 */
export async function commitTasks(
  ctx: TaskContext,
  board: Board,
  change: TaskCommit,
): Promise<StateVersion> {
  const patch = tasksPatch(board.state, change.tasks);
  const state = applyPatch(board.state, patch);
  const checked = validateStateChange(
    state,
    patch.map((op) => op.path),
  );
  if (!checked.success) throw validationError(checked.issues, { what: "task" });
  const prepared = await prepareVersion(ctx, {
    branch: BOARD_BRANCH,
    parents: [board.head],
    state,
    author: change.author,
    description: change.description,
    origin: "fast-forward",
  });
  const workflowId = ctx.workflowId();
  const row = writeVersion(ctx, prepared, (written) => {
    for (const task of change.tasks) ctx.timers.syncTask(task);
    if (change.idempotencyKey !== undefined) {
      const version = VersionStore.toStateVersion(written, workflowId);
      ctx.idempotency.put(
        change.idempotencyKey,
        change.answer?.(version) ?? { version },
        written.timestamp,
      );
    }
  });
  return VersionStore.toStateVersion(row, workflowId);
}
