// @ts-check
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, "..", "src", "cli.mjs");
const bin = path.join(here, "..", "node_modules", ".bin");

/**
 * Runs the guard on the fixture suite whose files match `filter`.
 * @param {string} filter a vitest file filter
 * @param {Record<string, string>} env beside the defaults: a 1.5 s stall, a 1.5 s teardown
 * @returns {Promise<{ code: number | null, output: string, ms: number }>}
 */
function guard(filter, env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "--config", "vitest.config.mjs", filter], {
      cwd: path.join(here, "fixtures"),
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        STALL_GUARD_MS: "1500",
        STALL_GUARD_TEARDOWN_MS: "1500",
        NO_COLOR: "1",
        ...env,
      },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

describe("stall-guard", () => {
  it("passes a passing suite on as it is, run once", async () => {
    const { code, output } = await guard("passes");
    assert.equal(code, 0, output);
    assert.match(output, /1 passed/);
    assert.doesNotMatch(output, /stall-guard:/);
  });

  it("passes a failing suite on as failed, not run again", async () => {
    const { code, output } = await guard("fails");
    assert.equal(code, 1, output);
    assert.match(output, /1 failed/);
    assert.doesNotMatch(output, /stall-guard:/);
  });

  it("ends a run that stalls, naming the file, runs it once more, and fails", async () => {
    const { code, output, ms } = await guard("spins");
    assert.equal(code, 1, output);
    const stalls = output.match(
      /nothing finished for 1\.5 s; not finished: \S*spins\.fixture\.mjs/g,
    );
    assert.equal(stalls?.length, 2, output);
    assert.match(output, /running the suite once more/);
    assert.match(output, /stalled again/);
    // Two stalls of 1.5 s each, not the spinning test's own (unreachable) 5 s timeout twice.
    assert.ok(ms < 20_000, `took ${ms} ms`);
  });

  it("ends a teardown that never ends with the verdict of the tests", async () => {
    const passed = await guard("passes", { HANG_TEARDOWN: "1" });
    assert.equal(passed.code, 0, passed.output);
    assert.match(passed.output, /the tests passed, but closing the test runner took over 1\.5 s/);
    const failed = await guard("fails", { HANG_TEARDOWN: "1" });
    assert.equal(failed.code, 1, failed.output);
    assert.match(failed.output, /the tests failed, but closing/);
  });
});
