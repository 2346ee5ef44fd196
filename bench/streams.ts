/**
 * `npm run streams`: change streams through the whole local stack, beside the no-op measured in
 * the same run. For N = 1, 10 and 100 subscribers over SSE and over WebSocket: the time from a
 * commit's acknowledgement (its answer fully read) to the last of the N receiving its event,
 * one commit at a time; then sustained commits/s and deliveries/s with 10 SSE subscribers and
 * 8 writers; then workerd's resident memory per idle subscriber.
 *
 * Needs Node's WebSocket: `node --experimental-websocket` (the npm script passes it).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "@chorus/core/bench/stats";
import { startStack } from "@chorus/devstack";
import { cpuBetween, sampleCpu } from "./cpu-usage.ts";
import { describeMachine } from "./machine.ts";
import {
  allReceived,
  issueTicket,
  openSse,
  openWebSocket,
  type Subscriber,
  type Target,
} from "./stream-subscribers.ts";
import { workerdRss } from "./workerd-memory.ts";

const COMMITS = Number(process.env.STREAMS_COMMITS ?? 200);
const SUSTAIN_SECONDS = Number(process.env.STREAMS_SECONDS ?? 5);
const IDLE = Number(process.env.STREAMS_IDLE ?? 500);
const FANOUT = [1, 10, 100];
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));
const ms = (value: number) => value.toFixed(2);

const machine = describeMachine();
const persistDir = await mkdtemp(join(tmpdir(), "chorus-streams-"));
const stack = await startStack({
  port: 0,
  persist: persistDir,
  workerOutput: "ignore",
  benchFloors: true,
});
const auth = { authorization: `Bearer ${stack.token}` };
const out = (text: string) => process.stdout.write(text);
try {
  out(`${new Date().toISOString()}\n${machine}\n\n`);
  out(`### Push latency: one commit at a time, ${COMMITS} commits per row\n\n`);
  out(
    "| transport | N | ack → last p50 ms | ack → last p99 ms | sent → last p50 ms | sent → last p99 ms | commit p50 ms | no-op p50 ms | sent → last p50 ÷ no-op | ÷ commit | cores: others |\n",
  );
  out("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const transport of ["sse", "websocket"] as const) {
    for (const n of FANOUT) out(`${await latency(transport, n)}\n`);
  }
  out(`\n### Sustained: 8 writers on one workflow for ${SUSTAIN_SECONDS} s\n\n`);
  out("| SSE subscribers | commits/s | events/s delivered | events |\n| --- | --- | --- | --- |\n");
  for (const n of [0, 10]) out(`${await sustained(n, 8)}\n`);
  out(`\n${await idleMemory("sse")}\n${await idleMemory("websocket")}\n`);
} finally {
  await stack.stop();
  await rm(persistDir, { recursive: true, force: true });
}

async function newWorkflow(): Promise<Target> {
  const response = await fetch(`${stack.url}/api/workflows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ name: "streams bench", initialState: { data: { n: 0 } } }),
  });
  if (response.status !== 201) throw new Error(`create: ${response.status}`);
  const { workflow } = (await response.json()) as { workflow: { id: string } };
  return { url: stack.url, token: stack.token, workflowId: workflow.id };
}

/** One commit (a one-operation JSON Patch); resolves when its answer is read, with its version. */
async function commit(target: Target, n: number): Promise<number> {
  const response = await fetch(`${stack.url}/api/workflows/${target.workflowId}/state`, {
    method: "PATCH",
    headers: { ...auth, "content-type": "application/json-patch+json" },
    body: JSON.stringify([{ op: "replace", path: "/data/n", value: n }]),
  });
  const body = (await response.json()) as { version: { version: number } };
  if (response.status !== 201) throw new Error(`commit: ${response.status}`);
  return body.version.version;
}

async function noop(target: Target): Promise<void> {
  const response = await fetch(`${stack.url}/api/workflows/${target.workflowId}/noop`, {
    headers: auth,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`noop: ${response.status}`);
}

function open(transport: "sse" | "websocket", target: Target, since: number) {
  return transport === "sse" ? openSse(target, since) : openWebSocket(target, since);
}

async function openMany(transport: "sse" | "websocket", target: Target, n: number) {
  const subscribers: Subscriber[] = [];
  // Twenty at a time: a hundred handshakes at once only measure the handshake queue.
  for (let i = 0; i < n; i += 20) {
    const batch = Math.min(20, n - i);
    subscribers.push(
      ...(await Promise.all(Array.from({ length: batch }, () => open(transport, target, 1)))),
    );
  }
  return subscribers;
}

async function latency(transport: "sse" | "websocket", n: number): Promise<string> {
  const target = await newWorkflow();
  const subscribers = await openMany(transport, target, n);
  const push: number[] = [];
  const total: number[] = [];
  const commits: number[] = [];
  const noops: number[] = [];
  const warmup = 20;
  let cpuBefore = sampleCpu();
  for (let i = 1; i <= COMMITS + warmup; i++) {
    const started = performance.now();
    const version = await commit(target, i);
    const acknowledged = performance.now();
    const last = await allReceived(subscribers, version);
    const noopStarted = performance.now();
    await noop(target);
    const noopEnded = performance.now();
    if (i === warmup) cpuBefore = sampleCpu();
    if (i <= warmup) continue;
    push.push(last - acknowledged);
    total.push(last - started);
    commits.push(acknowledged - started);
    noops.push(noopEnded - noopStarted);
  }
  const expected = Array.from({ length: COMMITS + warmup }, (_, i) => i + 2);
  for (const subscriber of subscribers) {
    if (subscriber.order.join() !== expected.join())
      throw new Error("a version was lost or repeated");
    subscriber.close();
  }
  const others = cpuBetween(cpuBefore, sampleCpu(), availableParallelism())?.others;
  const floor = quantile(noops, 0.5);
  const commitP50 = quantile(commits, 0.5);
  const sentP50 = quantile(total, 0.5);
  return `| ${transport === "sse" ? "SSE" : "WebSocket"} | ${n} | ${ms(quantile(push, 0.5))} | ${ms(quantile(push, 0.99))} | ${ms(sentP50)} | ${ms(quantile(total, 0.99))} | ${ms(commitP50)} | ${ms(floor)} | ${(sentP50 / floor).toFixed(2)}× | ${(sentP50 / commitP50).toFixed(2)}× | ${others?.toFixed(2) ?? "?"} |`;
}

async function sustained(n: number, writers: number): Promise<string> {
  const target = await newWorkflow();
  const subscribers = await openMany("sse", target, n);
  const deadline = performance.now() + SUSTAIN_SECONDS * 1000;
  const started = performance.now();
  let committed = 0;
  let newest = 1;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        newest = Math.max(newest, await commit(target, committed));
        committed++;
      }
    }),
  );
  if (n > 0) await allReceived(subscribers, newest);
  const seconds = (performance.now() - started) / 1000;
  let delivered = 0;
  for (const subscriber of subscribers) {
    const expected = Array.from({ length: newest - 1 }, (_, i) => i + 2).join();
    if (subscriber.order.join() !== expected) throw new Error("a version was lost or repeated");
    delivered += subscriber.order.length;
    subscriber.close();
  }
  return `| ${n} | ${Math.round(committed / seconds)} | ${Math.round(delivered / seconds)} | ${delivered} |`;
}

async function idleMemory(transport: "sse" | "websocket"): Promise<string> {
  const target = await newWorkflow();
  // Tickets first, so the token store's writes are not counted as the subscribers' memory.
  const tickets: string[] = [];
  if (transport === "websocket") {
    for (let i = 0; i < IDLE; i += 20) {
      const batch = Math.min(20, IDLE - i);
      tickets.push(
        ...(await Promise.all(Array.from({ length: batch }, () => issueTicket(target)))),
      );
    }
  }
  await settle();
  const before = workerdRss();
  const subscribers: Subscriber[] = [];
  for (let i = 0; i < IDLE; i += 20) {
    const batch = Math.min(20, IDLE - i);
    subscribers.push(
      ...(await Promise.all(
        Array.from({ length: batch }, (_, j) =>
          transport === "sse" ? openSse(target, 1) : openWebSocket(target, 1, tickets[i + j]),
        ),
      )),
    );
  }
  const version = await commit(target, 1);
  await allReceived(subscribers, version);
  await settle();
  const after = workerdRss();
  for (const subscriber of subscribers) subscriber.close();
  await settle();
  const perSubscriber = (after - before) / IDLE / 1024;
  return `${IDLE} idle ${transport === "sse" ? "SSE" : "WebSocket"} subscribers: workerd RSS ${mib(before)} → ${mib(after)} MiB, ${perSubscriber.toFixed(1)} KiB each`;
}
