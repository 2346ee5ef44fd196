import { Task, TaskChange, TaskClaims, TaskList } from "@chorus/core";
import { assertActsAs } from "../agent-access.ts";
import type { Identity } from "../auth.ts";
import { endLease } from "../board-lease.ts";
import { problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";
import {
  ClaimBody,
  CompleteBody,
  CreateTaskBody,
  FailBody,
  HeartbeatBody,
  ListTasksQuery,
  TaskPath,
} from "../schemas/tasks.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
const TASK = { ...WORKFLOW, "/taskId": "/params/taskId" };
const CHANGE = {
  description: "The task after the change, and the version that committed it",
  schema: TaskChange,
};
const STALE = problemSpec(
  "The lease is not the task's current one, or ran out (`LEASE_EXPIRED`, naming the current attempt)",
);

/** `POST /api/workflows/{id}/tasks`: create a task, or replay the same create. */
export const createTask = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks",
  operationId: "createTask",
  summary: "Create a task",
  description:
    "Commits the task to `/tasks/{taskId}`: `ready`, or `pending` until its `dependsOn` " +
    "complete. The same `id` with the same body (after defaults) answers 200 with the first " +
    "outcome and `replayed: true`; another body is 409 `ALREADY_EXISTS`. A `dependsOn` naming " +
    'an unknown task, the task itself, or closing a cycle is 422 at `/dependsOn`. `assign: "push"` ' +
    "claims it at once for the least-loaded live agent that has its capabilities and room.",
  tag: "tasks",
  access: "writer",
  params: WorkflowPath,
  body: { schema: CreateTaskBody },
  responses: {
    200: { ...CHANGE, description: "The same create again: the first outcome, `replayed: true`" },
    201: { ...CHANGE, description: "Created", headers: { Location: "the task" } },
    409: problemSpec("A task with this id exists with another body (`ALREADY_EXISTS`)"),
  },
  async handle({ env, identity, params, body }) {
    const { assign, ...task } = body;
    const created = await call(
      env.COORDINATOR.createTask({
        workflowId: params.id,
        task,
        author: identity.author,
        ...(assign === undefined ? {} : { assign }),
      }),
      { ...WORKFLOW, "/task": "" },
    );
    const location = `/api/workflows/${params.id}/tasks/${encodeURIComponent(created.task.id)}`;
    return json(created, created.replayed === true ? 200 : 201, { location });
  },
});

/** `GET /api/workflows/{id}/tasks`. */
export const listTasks = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/tasks",
  operationId: "listTasks",
  summary: "List a workflow's tasks",
  description: "`capability=X` lists the tasks that require X.",
  tag: "tasks",
  access: "reader",
  params: WorkflowPath,
  query: ListTasksQuery,
  responses: { 200: { description: "The tasks", schema: TaskList } },
  async handle({ env, params, query }) {
    return json(await call(env.STATE.listTasks({ workflowId: params.id, ...query }), WORKFLOW));
  },
});

/** `GET /api/workflows/{id}/tasks/{taskId}`. */
export const getTask = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/tasks/:taskId",
  operationId: "getTask",
  summary: "Get a task",
  tag: "tasks",
  access: "reader",
  params: TaskPath,
  responses: { 200: { description: "The task", schema: Task } },
  async handle({ env, params }) {
    return json(
      await call(env.STATE.getTask({ workflowId: params.id, taskId: params.taskId }), TASK),
    );
  },
});

/** `POST /api/workflows/{id}/tasks/claim`. */
export const claimTasks = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks/claim",
  operationId: "claimTasks",
  summary: "Claim ready tasks for an agent",
  description:
    "Leases up to `max` `ready` tasks whose `requiredCapabilities` the agent has, highest " +
    "priority first, then oldest; never more than the agent's `maxConcurrency` leases across " +
    "all its workflows. An empty list when nothing is ready, the agent is at capacity or " +
    "draining. An agent's token claims only as itself.",
  tag: "tasks",
  access: "writer",
  hearsAgent: true,
  params: WorkflowPath,
  body: { schema: ClaimBody },
  responses: {
    200: { description: "The claimed tasks and their leases", schema: TaskClaims },
    409: problemSpec("A review gate protects the tasks' change (`REVIEW_REQUIRED`)"),
  },
  async handle({ env, identity, params, body }) {
    assertActsAs(identity, body.agentId);
    const claims = await call(env.COORDINATOR.claimTasks({ workflowId: params.id, ...body }), {
      ...WORKFLOW,
    });
    return json({ claims: claims.claims });
  },
});

/** `POST /api/workflows/{id}/tasks/{taskId}/heartbeat`. */
export const heartbeatTask = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks/:taskId/heartbeat",
  operationId: "heartbeatTask",
  summary: "Extend a task's lease",
  tag: "tasks",
  access: "writer",
  hearsAgent: true,
  params: TaskPath,
  body: { schema: HeartbeatBody },
  responses: { 200: { ...CHANGE, description: "The task, its lease extended" }, 409: STALE },
  async handle({ env, identity, params, body }) {
    const input = leaseInput(params, body, identity);
    return json(await call(env.COORDINATOR.heartbeatTask(input), TASK));
  },
});

/** `POST /api/workflows/{id}/tasks/{taskId}/complete`. */
export const completeTask = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks/:taskId/complete",
  operationId: "completeTask",
  summary: "Complete a task",
  description:
    "Completes the task exactly once. The same lease again answers the first completion with " +
    "`replayed: true` and commits nothing, whatever `result` it carries.",
  tag: "tasks",
  access: "writer",
  hearsAgent: true,
  params: TaskPath,
  body: { schema: CompleteBody },
  responses: { 200: CHANGE, 409: STALE },
  async handle({ env, ctx, identity, params, body }) {
    const input = leaseInput(params, body, identity);
    const lease = { env, ctx, identity, workflowId: params.id, leaseId: body.leaseId };
    const ended = endLease(
      lease,
      () => env.STATE.completeTask(input),
      () => env.COORDINATOR.completeTask(input),
    );
    return json(await call(ended, TASK));
  },
});

/** `POST /api/workflows/{id}/tasks/{taskId}/fail`. */
export const failTask = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks/:taskId/fail",
  operationId: "failTask",
  summary: "Fail a task's attempt",
  description:
    "`failed`, then `ready` again after a backoff (1 s doubling, at most 5 min); `dead` once " +
    "`maxAttempts` attempts ended without completion, or at once when `retryable` is false.",
  tag: "tasks",
  access: "writer",
  hearsAgent: true,
  params: TaskPath,
  body: { schema: FailBody },
  responses: { 200: CHANGE, 409: STALE },
  async handle({ env, ctx, identity, params, body }) {
    const input = leaseInput(params, body, identity);
    const lease = { env, ctx, identity, workflowId: params.id, leaseId: body.leaseId };
    const ended = endLease(
      lease,
      () => env.STATE.failTask(input),
      () => env.COORDINATOR.failTask(input),
    );
    return json(await call(ended, TASK));
  },
});

/** `POST /api/workflows/{id}/tasks/{taskId}/retry`. */
export const retryTask = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks/:taskId/retry",
  operationId: "retryTask",
  summary: "Retry a dead task",
  description: "`ready` again with a fresh budget of `maxAttempts`; `attempt` keeps counting.",
  tag: "tasks",
  access: "writer",
  params: TaskPath,
  responses: { 200: CHANGE, 409: problemSpec("The task is not dead") },
  async handle({ env, identity, params }) {
    const input = { workflowId: params.id, taskId: params.taskId, author: identity.author };
    return json(await call(env.STATE.retryTask(input), TASK));
  },
});

/** `POST /api/workflows/{id}/tasks/{taskId}/cancel`. */
export const cancelTask = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tasks/:taskId/cancel",
  operationId: "cancelTask",
  summary: "Cancel a task",
  description:
    "A claimed task's lease ends with it: its agent's slot is free at once. Cancelling a " +
    "cancelled task again answers it with `replayed: true`.",
  tag: "tasks",
  access: "writer",
  params: TaskPath,
  responses: { 200: CHANGE, 409: problemSpec("The task has ended already") },
  async handle({ env, identity, params }) {
    const input = { workflowId: params.id, taskId: params.taskId, author: identity.author };
    return json(await call(env.COORDINATOR.cancelTask(input), TASK));
  },
});

/**
 * The agent a lease route acts as, when an agent's token calls it: the task board refuses it
 * another agent's current lease (403 `FORBIDDEN`); a lease that is not current is 409.
 * @returns `{ agentId }`, or nothing for a token that is no agent's
 */
function actingAgent(identity: Identity): { agentId?: string } {
  return identity.agentId === undefined ? {} : { agentId: identity.agentId };
}

/** What a lease route sends: the task, the body, and the agent acting when the token is one. */
function leaseInput<B extends object>(
  params: { id: string; taskId: string },
  body: B,
  identity: Identity,
) {
  return { workflowId: params.id, taskId: params.taskId, ...body, ...actingAgent(identity) };
}
