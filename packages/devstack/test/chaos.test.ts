// The crash cycle CI makes (`npm run test:chaos` makes ten or more): writers, a SIGKILL of the
// runtime at a random moment, a restart on the same directory, and every check of the suite.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { describeChaos, runChaos } from "../reliability/chaos.ts";
import { seedOf } from "../reliability/random.ts";

test("one kill cycle loses no acknowledged commit, task or streamed version", async () => {
  const stateDir = await mkdtemp(join(tmpdir(), "chorus-chaos-"));
  try {
    const report = await runChaos({
      stateDir,
      cycles: 1,
      seed: seedOf(process.env.CHAOS_SEED),
      workflows: 2,
    });
    const summary = describeChaos(report);
    console.log(summary);
    assert.deepEqual(report.failures, [], summary);
    assert.equal(report.cycles.length, 1, summary);
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
});
