// The permission matrix's sample requests: a valid request for every route, and the fixtures
// (branches, reviews, agents, rules, tasks) they act on.
import { env } from "cloudflare:workers";
import { signLinearWebhook } from "@chorus/core";
import {
  ADMIN,
  api,
  type Call,
  type Fixture,
  issueToken,
  registerAgent,
  sampleState,
} from "./helpers.ts";

export type Sample = Call & { path: string };

/** A valid request for every route, by operationId, against a fresh fixture. */
export const SAMPLES: Record<string, (f: Fixture) => Sample | Promise<Sample>> = {
  createWorkflow: () => ({ method: "POST", path: "/api/workflows", json: { name: "Matrix" } }),
  listWorkflows: () => ({ path: "/api/workflows?limit=1" }),
  getWorkflow: (f) => ({ path: `/api/workflows/${f.id}` }),
  updateWorkflow: (f) => ({
    method: "PATCH",
    path: `/api/workflows/${f.id}`,
    json: { status: "running" },
  }),
  noop: (f) => ({ path: `/api/workflows/${f.id}/noop` }),
  noopWrite: (f) => ({ method: "POST", path: `/api/workflows/${f.id}/noop` }),
  getState: (f) => ({ path: `/api/workflows/${f.id}/state` }),
  commitState: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/state`,
    json: { state: sampleState() },
  }),
  patchState: (f) => ({
    method: "PATCH",
    path: `/api/workflows/${f.id}/state`,
    json: [{ op: "replace", path: "/name", value: "Patched" }],
    contentType: "application/json-patch+json",
  }),
  getHistory: (f) => ({ path: `/api/workflows/${f.id}/history` }),
  getContext: (f) => ({ path: `/api/workflows/${f.id}/context?budget=500` }),
  getDiff: (f) => ({ path: `/api/workflows/${f.id}/diff?from=1&to=2` }),
  streamEvents: (f) => ({ path: `/api/workflows/${f.id}/events` }),
  subscribe: (f) => ({
    path: `/api/workflows/${f.id}/subscribe`,
    headers: { upgrade: "websocket" },
  }),
  createTicket: (f) => ({ method: "POST", path: `/api/workflows/${f.id}/tickets` }),
  createSnapshot: (f) => ({ method: "POST", path: `/api/workflows/${f.id}/snapshots` }),
  listSnapshots: (f) => ({ path: `/api/workflows/${f.id}/snapshots` }),
  restoreSnapshot: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/restore`,
    json: { snapshotId: f.snapshotId },
  }),
  createBranch: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/branches`,
    json: { name: "next" },
  }),
  listBranches: (f) => ({ path: `/api/workflows/${f.id}/branches` }),
  mergeBranch: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/branches/${f.branch}/merge`,
  }),
  listConflicts: (f) => ({ path: `/api/workflows/${f.id}/conflicts` }),
  resolveConflict: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/conflicts/${f.conflictId}/resolve`,
    json: { resolution: "theirs" },
  }),
  checkIntegrity: (f) => ({ path: `/api/workflows/${f.id}/integrity` }),
  getAudit: (f) => ({ path: `/api/workflows/${f.id}/audit` }),
  getSettings: (f) => ({ path: `/api/workflows/${f.id}/settings` }),
  updateSettings: (f) => ({
    method: "PATCH",
    path: `/api/workflows/${f.id}/settings`,
    json: { keyframeInterval: 8 },
  }),
  createToken: () => ({
    method: "POST",
    path: "/api/tokens",
    json: { name: "matrix", role: "reader" },
  }),
  listTokens: () => ({ path: "/api/tokens" }),
  revokeToken: async () => ({
    method: "DELETE",
    path: `/api/tokens/${(await issueToken("reader")).id}`,
  }),
  createTask: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/tasks`,
    json: { type: "review" },
  }),
  listTasks: (f) => ({ path: `/api/workflows/${f.id}/tasks?status=ready` }),
  getTask: async (f) => ({ path: `/api/workflows/${f.id}/tasks/${await taskOf(f)}` }),
  claimTasks: async (f) => {
    await taskOf(f);
    return {
      method: "POST",
      path: `/api/workflows/${f.id}/tasks/claim`,
      json: { agentId: await agentOf(f) },
    };
  },
  heartbeatTask: async (f) => {
    const { taskId, leaseId } = await claimedTaskOf(f);
    return {
      method: "POST",
      path: `/api/workflows/${f.id}/tasks/${taskId}/heartbeat`,
      json: { leaseId },
    };
  },
  completeTask: async (f) => {
    const { taskId, leaseId } = await claimedTaskOf(f);
    return {
      method: "POST",
      path: `/api/workflows/${f.id}/tasks/${taskId}/complete`,
      json: { leaseId },
    };
  },
  failTask: async (f) => {
    const { taskId, leaseId } = await claimedTaskOf(f);
    return {
      method: "POST",
      path: `/api/workflows/${f.id}/tasks/${taskId}/fail`,
      json: { leaseId, error: "broke" },
    };
  },
  retryTask: async (f) => {
    const { taskId, leaseId } = await claimedTaskOf(f, { maxAttempts: 1 });
    const at = `/api/workflows/${f.id}/tasks/${taskId}`;
    await api(`${at}/fail`, {
      method: "POST",
      token: ADMIN,
      json: { leaseId, error: "x", retryable: false },
    });
    return { method: "POST", path: `${at}/retry` };
  },
  cancelTask: async (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/tasks/${await taskOf(f)}/cancel`,
  }),
  createAgent: (f) => ({
    method: "POST",
    path: "/api/agents",
    json: { name: "matrix", type: "reviewer", capabilities: [], workflowIds: [f.id] },
  }),
  listAgents: (f) => ({ path: `/api/agents?workflowId=${f.id}` }),
  getAgent: async (f) => ({ path: `/api/agents/${await agentOf(f)}` }),
  heartbeatAgent: async (f) => ({
    method: "POST",
    path: `/api/agents/${await agentOf(f)}/heartbeat`,
  }),
  deleteAgent: async (f) => ({ method: "DELETE", path: `/api/agents/${await agentOf(f)}` }),
  listAgentLeases: async (f) => ({ path: `/api/agents/${await agentOf(f)}/leases` }),
  spawnAgent: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/agents`,
    json: { type: "pattern-bridge" },
  }),
  listSpawnedAgents: (f) => ({ path: `/api/workflows/${f.id}/agents` }),
  getSpawnedAgent: async (f) => ({ path: `/api/workflows/${f.id}/agents/${await spawnedOf(f)}` }),
  createRule: (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/rules`,
    json: SAMPLE_RULE,
  }),
  listRules: (f) => ({ path: `/api/workflows/${f.id}/rules` }),
  getRule: async (f) => ({ path: `/api/workflows/${f.id}/rules/${await ruleOf(f)}` }),
  deleteRule: async (f) => ({
    method: "DELETE",
    path: `/api/workflows/${f.id}/rules/${await ruleOf(f)}`,
  }),
  listRuleDeliveries: async (f) => ({
    path: `/api/workflows/${f.id}/rules/${await ruleOf(f)}/deliveries`,
  }),
  stopSpawnedAgent: async (f) => ({
    method: "DELETE",
    path: `/api/workflows/${f.id}/agents/${await spawnedOf(f)}`,
  }),
  getOverview: () => ({ path: "/api/overview" }),
  createOverviewTicket: () => ({ method: "POST", path: "/api/overview/tickets" }),
  liveOverview: () => ({ path: "/api/overview/live", headers: { upgrade: "websocket" } }),
  listReviews: (f) => ({ path: `/api/workflows/${f.id}/reviews` }),
  openReview: async (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/reviews`,
    json: { branch: await branchOf(f) },
  }),
  getReview: async (f) => ({ path: `/api/workflows/${f.id}/reviews/${await reviewOf(f)}` }),
  approveReview: async (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/reviews/${await reviewOf(f)}/approve`,
  }),
  rejectReview: async (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/reviews/${await reviewOf(f)}/reject`,
  }),
  commentReview: async (f) => ({
    method: "POST",
    path: `/api/workflows/${f.id}/reviews/${await reviewOf(f)}/comments`,
    json: { body: "a comment" },
  }),
  getHealth: () => ({ path: "/health" }),
  // A signed event the sync does not take (a comment): public, answered 200 every time.
  linearWebhook: async () => {
    const body = JSON.stringify({
      action: "create",
      type: "Comment",
      data: { id: "comment-1" },
      webhookTimestamp: Date.now(),
    });
    const secret = String((env as { LINEAR_WEBHOOK_SECRET?: string }).LINEAR_WEBHOOK_SECRET);
    const signature = await signLinearWebhook(body, secret);
    return {
      method: "POST",
      path: "/api/integrations/linear/webhook",
      body,
      headers: { "Linear-Signature": signature },
    };
  },
  getMetrics: () => ({ path: "/metrics" }),
  getOpenApi: () => ({ path: "/openapi.json" }),
};

/** The author of the reviews below: no caller of the matrix, so every caller may approve. */
let reviewAuthor: Promise<string> | undefined;

/** A new branch of the fixture's workflow, one commit ahead of `main`, by the review author. */
async function branchOf(f: Fixture): Promise<string> {
  reviewAuthor ??= issueToken("writer").then((issued) => issued.token);
  const token = await reviewAuthor;
  const name = `rv-${crypto.randomUUID().slice(0, 8)}`;
  const at = `/api/workflows/${f.id}`;
  await api(`${at}/branches`, { method: "POST", token, json: { name } });
  await api(`${at}/state`, {
    method: "POST",
    token,
    json: { state: sampleState({ name: `On ${name}` }), branch: name },
  });
  return name;
}

/** An open review of a new branch of the fixture's workflow, opened by the review author. */
async function reviewOf(f: Fixture): Promise<string> {
  const branch = await branchOf(f);
  const opened = await api(`/api/workflows/${f.id}/reviews`, {
    method: "POST",
    token: await reviewAuthor,
    json: { branch },
  });
  return ((await opened.json()) as { id: string }).id;
}

/** An agent limited to the fixture's workflow, registered by the admin. */
async function agentOf(f: Fixture, capabilities = ["ts"]): Promise<string> {
  return (await registerAgent({ workflowIds: [f.id], capabilities })).agent.id;
}

/** A rule that matches nothing the fixtures commit. */
const SAMPLE_RULE = {
  when: { path: "/data/never", test: "changed" },
  then: { action: "set", path: "/data/seen", value: true },
};

/** A rule of the fixture's workflow, added by the admin. */
async function ruleOf(f: Fixture): Promise<string> {
  const added = await api(`/api/workflows/${f.id}/rules`, {
    method: "POST",
    token: ADMIN,
    json: SAMPLE_RULE,
  });
  return ((await added.json()) as { rule: { id: string } }).rule.id;
}

/** The fixture's pattern bridge, spawned (or answered, when it runs) by the admin. */
async function spawnedOf(f: Fixture): Promise<string> {
  const spawned = await api(`/api/workflows/${f.id}/agents`, {
    method: "POST",
    token: ADMIN,
    json: { type: "pattern-bridge" },
  });
  return ((await spawned.json()) as { agent: { agentId: string } }).agent.agentId;
}

/** A ready task of the fixture's workflow, created by the admin. */
async function taskOf(f: Fixture, body: Record<string, unknown> = {}): Promise<string> {
  const created = await api(`/api/workflows/${f.id}/tasks`, {
    method: "POST",
    token: ADMIN,
    json: { type: "review", ...body },
  });
  return ((await created.json()) as { task: { id: string } }).task.id;
}

/**
 * A task of the fixture's workflow, claimed by a fresh agent. The task needs a capability only
 * that agent has, so tasks of earlier samples whose leases ran out are not claimed in its place.
 */
async function claimedTaskOf(f: Fixture, body: Record<string, unknown> = {}) {
  // Critical and of a capability of its own: tasks that earlier samples failed come back ready
  // after their backoff, older, and an agent of capacity 1 would claim one of those instead.
  const capability = `only-${crypto.randomUUID()}`;
  const taskId = await taskOf(f, {
    priority: "critical",
    requiredCapabilities: [capability],
    ...body,
  });
  const agentId = await agentOf(f, [capability]);
  const claimed = await api(`/api/workflows/${f.id}/tasks/claim`, {
    method: "POST",
    token: ADMIN,
    json: { agentId, max: 50 },
  });
  const { claims } = (await claimed.json()) as {
    claims: { task: { id: string }; lease: { id: string } }[];
  };
  const claim = claims.find((c) => c.task.id === taskId);
  if (claim === undefined) throw new Error(`task ${taskId} was not claimed`);
  return { taskId, leaseId: claim.lease.id };
}
