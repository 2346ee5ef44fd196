/**
 * `npm run patch-sizes`: what a one-operation JSON Patch commit costs as the state grows.
 * Through the whole local stack, one request at a time: for states of about 1 KB, 100 KB and
 * 1 MB, the same one-operation `PATCH` beside the write floor (`POST …/noop`: the round trip
 * plus one durable one-row write), interleaved in random order so drift hits both alike.
 *
 * Why: a commit canonicalizes and hashes its whole new state (the checksum is the SHA-256 of
 * its RFC 8785 text), so part of its cost grows with the state however small the change; the
 * ratio of the 1 MB commit to the 1 KB one says how much.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "@chorus/core/bench/stats";
import { startStack } from "@chorus/devstack";
import { describeMachine } from "./machine.ts";

// 2,800 tasks keeps the create request under the gateway's 1 MiB body limit.
const SIZES = [3, 300, 2800] as const;
const SAMPLES = Number(process.env.PATCH_SAMPLES ?? 300);
const WARMUP = 30;

const persistDir = await mkdtemp(join(tmpdir(), "chorus-patch-sizes-"));
const stack = await startStack({
  port: 0,
  persist: persistDir,
  workerOutput: "ignore",
  benchFloors: true,
});
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const auth = { authorization: `Bearer ${stack.token}` };
try {
  const lines = [
    `${describeMachine()}; ${SAMPLES} of each, one at a time, interleaved`,
    "",
    "| state | patch p50 ms | patch p90 ms | write floor p50 ms | patch ÷ floor (p50) | patch − floor (p50) ms |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  const p50s: number[] = [];
  const extras: number[] = [];
  for (const size of SIZES) {
    const { id, bytes } = await createWorkflow(size);
    let step = 0;
    const patch = () =>
      send("PATCH", `/api/workflows/${id}/state`, 201, {
        type: "application/json-patch+json",
        body: `[{"op":"replace","path":"/metadata/step","value":${++step}}]`,
      });
    const floor = () => send("POST", `/api/workflows/${id}/noop`, 200);
    for (let i = 0; i < WARMUP; i++) {
      await patch();
      await floor();
    }
    const samples = { patch: [] as number[], floor: [] as number[] };
    for (let i = 0; i < SAMPLES; i++) {
      const first = Math.random() < 0.5;
      if (first) samples.patch.push(await patch());
      samples.floor.push(await floor());
      if (!first) samples.patch.push(await patch());
    }
    const p = quantile(samples.patch, 0.5);
    const f = quantile(samples.floor, 0.5);
    p50s.push(p);
    extras.push(p - f);
    lines.push(
      `| ${kb(bytes)} (${size} tasks) | ${p.toFixed(2)} | ${quantile(samples.patch, 0.9).toFixed(2)} | ${f.toFixed(2)} | ${(p / f).toFixed(2)}× | ${(p - f).toFixed(2)} |`,
    );
  }
  const first = p50s[0] ?? Number.NaN;
  const last = p50s.at(-1) ?? Number.NaN;
  lines.push(
    "",
    `1 MB ÷ 1 KB, patch p50: ${(last / first).toFixed(2)}×; above the floor: ${((extras.at(-1) ?? 0) / (extras[0] ?? 1)).toFixed(1)}×`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await stack.stop();
  await rm(persistDir, { recursive: true, force: true });
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(2)} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

/** A workflow whose state holds `tasks` tasks of about 330 bytes each, and `metadata.step`. */
async function createWorkflow(tasks: number): Promise<{ id: string; bytes: number }> {
  const initialState = {
    name: "Patch sizes",
    status: "running",
    priority: "normal",
    metadata: { step: 0 },
    tasks: Object.fromEntries(
      Array.from({ length: tasks }, (_, i) => [
        `t${i}`,
        {
          id: `t${i}`,
          status: "pending",
          title: `Review module ${i} ${"and its notes ".repeat(20)}`,
        },
      ]),
    ),
  };
  const body = JSON.stringify({ name: `patch sizes ${tasks}`, initialState });
  const response = await fetch(`${stack.url}/api/workflows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body,
  });
  if (response.status !== 201)
    throw new Error(`create: ${response.status} ${await response.text()}`);
  const { workflow } = (await response.json()) as { workflow: { id: string } };
  return { id: workflow.id, bytes: JSON.stringify(initialState).length };
}

/** @returns milliseconds to the answer's last byte; throws on any other status */
function send(
  method: string,
  path: string,
  status: number,
  content?: { type: string; body: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers: Record<string, string> = { ...auth };
    if (content !== undefined) headers["content-type"] = content.type;
    const req = request(new URL(path, stack.url), { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        if (response.statusCode !== status) {
          reject(new Error(`${method} ${path}: ${response.statusCode} ${Buffer.concat(chunks)}`));
        } else resolve(performance.now() - started);
      });
    });
    req.on("error", reject);
    req.end(content?.body);
  });
}
