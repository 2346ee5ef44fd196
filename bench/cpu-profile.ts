/**
 * Where a worker's CPU goes under load: serves the stack with V8's inspector open, puts 16
 * connections of one operation on it, and takes a CPU profile of one worker's isolate through
 * the DevTools protocol. Prints the functions with the most time per request (self and
 * inclusive) and can save the profile for DevTools' Performance panel.
 *
 *   npm run profile                                  # the gateway, during 1 KB commits
 *   PROFILE_WORKER=state-manager PROFILE_OP=read PROFILE_OUT=/tmp/read.cpuprofile npm run profile
 *   PROFILE_WORKER=state-manager PROFILE_OP=patch PROFILE_STATE_KB=900 npm run profile
 *
 * Workers share one workerd thread here, so `(program)` and `(idle)` include the others' time.
 */
import { writeFile } from "node:fs/promises";
import { startStack } from "@chorus/devstack";
import autocannon from "autocannon";
import { connectInspector } from "./inspector.ts";
import { seed } from "./seed.ts";
import { commitBody, patchBody } from "./state-doc.ts";
import { freePort } from "./wrangler-dev.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const WORKER = process.env.PROFILE_WORKER ?? "gateway";
const OP = process.env.PROFILE_OP ?? "commit";
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 16);
/** Grows the workflow's state to about this many KB before profiling (default: 1 KB). */
const STATE_KB = Number(process.env.PROFILE_STATE_KB ?? 0);
const TOP = 25;

const inspectorPort = await freePort();
process.env.CHORUS_INSPECTOR_PORT = String(inspectorPort);
const stack = await startStack({
  port: 0,
  persist: false,
  workerOutput: "ignore",
  benchFloors: true,
});
try {
  const { writerToken, workflowIds } = await seed(stack.url, stack.token, 1);
  if (STATE_KB > 0) await grow(stack.url, writerToken, workflowIds[0] ?? "");
  const load = loadOf(stack.url, writerToken, workflowIds[0] ?? "");
  await load(2);
  const profiler = await connectInspector(inspectorPort, `core:user:chorus-${WORKER}`);
  await profiler.send("Profiler.enable");
  await profiler.send("Profiler.setSamplingInterval", { interval: 50 });
  await profiler.send("Profiler.start");
  const result = await load(SECONDS);
  const { profile } = (await profiler.send("Profiler.stop")) as { profile: Profile };
  profiler.close();
  if (process.env.PROFILE_OUT) await writeFile(process.env.PROFILE_OUT, JSON.stringify(profile));
  const requests = result.requests.total;
  process.stdout.write(
    `chorus-${WORKER} during ${OP}: ${requests} requests (${Math.round(result.requests.average)}/s, ` +
      `${result.non2xx} not 2xx); µs of this isolate per request\n`,
  );
  const { self, inclusive } = tally(profile);
  for (const [title, table] of [
    ["self", self],
    ["inclusive", inclusive],
  ] as const) {
    process.stdout.write(`\n${title}\n`);
    for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      process.stdout.write(`${(us / requests).toFixed(1).padStart(9)}  ${name}\n`);
    }
  }
} finally {
  await stack.stop();
}

/**
 * Grows the state to about `STATE_KB` KB with `PATCH` commits that add 100 tasks each (small
 * bodies: one large one cannot be written while the inspector slows the isolate down).
 */
async function grow(url: string, token: string, workflowId: string): Promise<void> {
  const title = (i: number) => `Review module ${i} ${"and notes ".repeat(25)}`;
  const perTask = JSON.stringify({ id: "t0000", status: "pending", title: title(0) }).length + 10;
  const count = Math.ceil((STATE_KB * 1024) / perTask);
  const send = async (patch: unknown[]) => {
    const response = await fetch(`${url}/api/workflows/${workflowId}/state`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json-patch+json" },
      body: JSON.stringify(patch),
    });
    if (response.status !== 201)
      throw new Error(`grow: ${response.status} ${await response.text()}`);
  };
  await send([{ op: "add", path: "/tasks", value: {} }]);
  for (let first = 0; first < count; first += 100) {
    const ops = [];
    for (let i = first; i < Math.min(count, first + 100); i++) {
      ops.push({
        op: "add",
        path: `/tasks/t${i}`,
        value: { id: `t${i}`, status: "pending", title: title(i) },
      });
    }
    await send(ops);
  }
}

function loadOf(url: string, token: string, workflowId: string) {
  const path = `/api/workflows/${workflowId}`;
  const auth = { authorization: `Bearer ${token}` };
  const commit = commitBody(0);
  const patch = patchBody();
  let step = 0;
  const requests: Record<string, autocannon.Request> = {
    noop: { method: "GET", path: `${path}/noop`, headers: auth },
    read: { method: "GET", path: `${path}/state`, headers: auth },
    commit: {
      method: "POST",
      path: `${path}/state`,
      headers: { ...auth, "content-type": "application/json" },
      setupRequest: (request) => ({ ...request, body: commit(++step) }),
    },
    patch: {
      method: "PATCH",
      path: `${path}/state`,
      headers: { ...auth, "content-type": "application/json-patch+json" },
      setupRequest: (request) => ({ ...request, body: patch(++step) }),
    },
  };
  const request = requests[OP];
  if (request === undefined) throw new Error(`PROFILE_OP is one of ${Object.keys(requests)}`);
  return (seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        { url, connections: CONNECTIONS, duration: seconds, requests: [request] },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
}

function tally(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const spent = new Map<number, number>();
  for (const [i, node] of profile.samples.entries()) {
    spent.set(node, (spent.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const name = (node: ProfileNode) =>
    `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of spent) {
    const node = byId.get(id);
    if (node === undefined) continue;
    self.set(name(node), (self.get(name(node)) ?? 0) + us);
    // A recursive function counts once per sample.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const ancestor = byId.get(at);
      if (ancestor === undefined) break;
      const key = name(ancestor);
      if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      seen.add(key);
    }
  }
  return { self, inclusive };
}
