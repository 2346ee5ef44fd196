// Run with node's test runner (`node --import tsx --test`): this package has no vitest.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ChorusClient, NotFoundError } from "@chorus/client";
import { runDemo, type Stack, startStack } from "../src/index.ts";

describe("startStack", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ port: 0, persist: false, workerOutput: "ignore" });
  });
  after(() => stack.stop());

  test("serves the gateway on a free port with the dev admin token", async () => {
    assert.match(stack.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${stack.url}/health`);
    assert.equal(health.status, 200);
    const admin = new ChorusClient({ baseUrl: stack.url, token: stack.token });
    assert.ok(Array.isArray((await admin.listWorkflows()).workflows));
  });

  test("leaves the benchmark floors off unless asked to serve them", async () => {
    const admin = new ChorusClient({ baseUrl: stack.url, token: stack.token });
    const { workflow } = await admin.createWorkflow({ name: "floors" });
    // Only `benchFloors: true` or BENCH_FLOORS=1 in apps/*/.dev.vars turns them on.
    await assert.rejects(admin.noop(workflow.id), NotFoundError);
    await assert.rejects(admin.noopWrite(workflow.id), NotFoundError);
  });

  test("the demo runs end to end: merges, a conflict resolved, a restore, history, a diff", async () => {
    const lines: string[] = [];
    await runDemo({ baseUrl: stack.url, token: stack.token, print: (line) => lines.push(line) });
    const output = lines.join("\n");
    assert.match(output, /\(merge; merged cleanly: \/tasks\//);
    assert.match(output, /409 conflict/);
    assert.match(output, /lead\s+→ v\d+ \(resolution/);
    // The state comes back in canonical (RFC 8785) member order.
    assert.match(output, /tasks after the restore: build=failed, docs=completed, test=claimed/);
    assert.match(output, /integrity: ok/);
    // History and diff in the readable forms `chorus history` and `chorus diff` print.
    assert.match(
      output,
      /^ {2}v8 {2}token:lead {5}\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}Restore snapshot /m,
    );
    assert.match(output, /^ {2}v1 {2}token:planner {2}\S+ \S+ {2}Create workflow$/m);
    assert.match(output, /^ {2}replace \/tasks\/build\/status = "failed"$/m);
    // Two agents follow each other live: each sees the other's commit, its checksum verified.
    const sum = "[0-9a-f]{12}…";
    assert.match(
      output,
      new RegExp(`^ {2}builder {4}holds v8 \\(checksum ${sum}\\), tester holds v8 `, "m"),
    );
    assert.match(output, /^ {2}builder {4}→ v9 \(fast-forward\)$/m);
    assert.match(
      output,
      new RegExp(
        `^ {2}tester {5}sees v9 by token:builder: replace /tasks/build/status = "claimed"; checksum ${sum} verified, \\d+\\.\\d ms (before|after) the acknowledgement$`,
        "m",
      ),
    );
    assert.match(
      output,
      new RegExp(
        `^ {2}builder {4}sees v10 by token:tester: replace /tasks/test/status = "completed"; checksum ${sum} verified`,
        "m",
      ),
    );
    assert.match(
      output,
      /^ {2}both replicas at v10, checksums equal; tasks: build=claimed, docs=completed, test=completed$/m,
    );
    // The example rule: lead's commit completes every task, the bridge's own commit sets /status.
    const finished = /^ {2}lead {7}→ v(\d+) \(.*\): every task completed$/m.exec(output);
    assert.ok(finished, "lead completes the open tasks");
    assert.match(
      output,
      new RegExp(
        `^ {2}pattern-bridge set /status "completed" in v\\d+ \\(pattern-bridge: rule rl_[0-9a-f]+ for version ${finished[1]} \\(depth 0\\)\\)$`,
        "m",
      ),
    );
    // 10 versions before the rule, then the bridge's registration written to /agents/{id} by the
    // coordinator (its own alarm: before or after the next two), lead's commit and the bridge's.
    assert.match(output, /integrity: ok, 1[23] versions checked/);
  });
});

describe("persistence", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "chorus-devstack-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("a restarted stack reads what the last one wrote", async () => {
    const first = await startStack({ port: 0, persist: dir, workerOutput: "ignore" });
    const { workflow } = await new ChorusClient({
      baseUrl: first.url,
      token: first.token,
    }).createWorkflow({ name: "survives a restart", initialState: { data: { n: 1 } } });
    await first.stop();
    await first.stop(); // a second stop is harmless

    const second = await startStack({ port: 0, persist: dir, workerOutput: "ignore" });
    try {
      const client = new ChorusClient({ baseUrl: second.url, token: second.token });
      assert.equal((await client.getWorkflow(workflow.id)).name, "survives a restart");
      assert.deepEqual((await client.getState(workflow.id))?.state, { data: { n: 1 } });
      await assert.rejects(client.getWorkflow("never-created"), NotFoundError);
    } finally {
      await second.stop();
    }
  });
});

describe("start.ts", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`prints the URL and the token, and stops on ${signal}`, () => startAndStop(signal));
  }
});

async function startAndStop(signal: NodeJS.Signals): Promise<void> {
  const stateDir = await mkdtemp(join(tmpdir(), "chorus-start-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/start.ts"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, PORT: "0", CHORUS_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 120 s:\n${output}`)), 120_000);
    child.stdout.on("data", () => {
      if (/Press Ctrl-C/.test(output)) resolve(clearTimeout(timer));
    });
  });
  const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
  assert.ok(url, output);
  assert.match(output, /admin token\s+\S+/);
  assert.equal((await fetch(`${url}/health`)).status, 200);
  assert.match(output, new RegExp(`state\\s+${stateDir}`));
  child.kill(signal);
  assert.equal(await exited, signal === "SIGINT" ? 130 : 143);
  assert.match(output, new RegExp(`${signal}: stopping Chorus`));
  await assert.rejects(fetch(`${url}/health`));
  await rm(stateDir, { recursive: true, force: true });
}
