/**
 * `npm run large-reads`: a whole large state read through the whole local stack, beside the
 * no-op, as the state manager bench cannot show it (its driver is not the gateway, and its
 * reads are timed with `fetch`). One request at a time, interleaved in random order, then 16
 * connections of each in turn.
 *
 * Why: how a large read crosses RPC (one string, UTF-8 bytes, a stream) moves its p50, its tail
 * and its CPU cost in different directions; this measures all three on the product's path.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile, spread } from "@chorus/core/bench/stats";
import { startStack } from "@chorus/devstack";
import autocannon from "autocannon";

const TASKS = Number(process.env.READS_TASKS ?? 300);
const SAMPLES = Number(process.env.READS_SAMPLES ?? 1500);
const SECONDS = Number(process.env.READS_SECONDS ?? 5);
const WARMUP = 200;

const persistDir = await mkdtemp(join(tmpdir(), "chorus-large-reads-"));
const stack = await startStack({
  port: 0,
  persist: persistDir,
  workerOutput: "ignore",
  benchFloors: true,
});
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const headers = { authorization: `Bearer ${stack.token}` };
try {
  const id = await createLargeWorkflow();
  const paths = { noop: `/api/workflows/${id}/noop`, read: `/api/workflows/${id}/state` };
  const samples = { noop: [] as number[], read: [] as number[] };
  let bytes = 0;
  for (let i = 0; i < WARMUP; i++) for (const path of Object.values(paths)) await get(path);
  for (let i = 0; i < SAMPLES; i++) {
    const order = Math.random() < 0.5 ? (["noop", "read"] as const) : (["read", "noop"] as const);
    for (const name of order) {
      const [ms, size] = await get(paths[name]);
      samples[name].push(ms);
      if (name === "read") bytes = size;
    }
  }
  const rates = { noop: [] as number[], read: [] as number[] };
  for (let round = 0; round < 2; round++) {
    for (const name of ["noop", "read"] as const) rates[name].push(await rate(paths[name]));
  }
  const noop = summary(samples.noop);
  const read = summary(samples.read);
  const ratio = (key: keyof typeof noop) => `${(read[key] / noop[key]).toFixed(2)}×`;
  const perSecond = (list: number[]) => list.map(Math.round).join(", ");
  process.stdout.write(
    `a ${bytes.toLocaleString("en")}-byte read answer, ${SAMPLES} each, one at a time\n\n` +
      "| | p50 ms | p90 ms | mean ms | req/s at 16 connections |\n| --- | --- | --- | --- | --- |\n" +
      `| no-op | ${noop.p50.toFixed(3)} | ${noop.p90.toFixed(3)} | ${noop.mean.toFixed(3)} | ${perSecond(rates.noop)} |\n` +
      `| read | ${read.p50.toFixed(3)} | ${read.p90.toFixed(3)} | ${read.mean.toFixed(3)} | ${perSecond(rates.read)} |\n` +
      `| read ÷ no-op | ${ratio("p50")} | ${ratio("p90")} | ${ratio("mean")} | ` +
      `${(spread(rates.noop).median / spread(rates.read).median).toFixed(2)}× |\n`,
  );
} finally {
  await stack.stop();
  await rm(persistDir, { recursive: true, force: true });
}

/** A workflow whose state is `TASKS` tasks of about 320 bytes each (300: about 96 KB). */
async function createLargeWorkflow(): Promise<string> {
  const tasks = Object.fromEntries(
    Array.from({ length: TASKS }, (_, i) => [
      `t${i}`,
      {
        id: `t${i}`,
        status: "pending",
        title: `Review module ${i} ${"and its notes ".repeat(20)}`,
      },
    ]),
  );
  const initialState = { name: "Large reads", status: "running", priority: "normal", tasks };
  const response = await fetch(`${stack.url}/api/workflows`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ name: "large reads", initialState }),
  });
  if (response.status !== 201)
    throw new Error(`create: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { workflow: { id: string } }).workflow.id;
}

/** @returns milliseconds to the answer's last byte, and its size */
function get(path: string): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(new URL(path, stack.url), { agent, headers }, (response) => {
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
      });
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`${path}: ${response.statusCode}`));
        else resolve([performance.now() - started, size]);
      });
    })
      .on("error", reject)
      .end();
  });
}

async function rate(path: string): Promise<number> {
  const result = await autocannon({
    url: `${stack.url}${path}`,
    connections: 16,
    duration: SECONDS,
    headers,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: failures under load`);
  return result.requests.average;
}

function summary(list: number[]) {
  const mean = list.reduce((sum, ms) => sum + ms, 0) / list.length;
  return { p50: quantile(list, 0.5), p90: quantile(list, 0.9), mean };
}
