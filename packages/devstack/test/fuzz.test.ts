// The short hostile-input run CI makes (`npm run test:fuzz` is the long one): 300 seeded
// requests over every route of a throwaway stack. A failure prints the seed to replay it with.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { describeFuzz, runFuzz } from "../reliability/fuzz.ts";
import { seedOf } from "../reliability/random.ts";
import { type Stack, startStack } from "../src/index.ts";

describe("hostile input", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ port: 0, persist: false, workerOutput: "ignore" });
  });
  after(() => stack.stop());

  test("every hostile request gets a 4xx problem+json, none a 5xx; the control is untouched", async () => {
    const seed = seedOf(process.env.FUZZ_SEED);
    const report = await runFuzz({
      baseUrl: stack.url,
      token: stack.token,
      seed,
      count: 300,
      seconds: 120,
    });
    const summary = describeFuzz(report);
    console.log(summary);
    assert.equal(report.sent, 300, summary);
    assert.deepEqual(report.failures, [], summary);
    assert.equal(report.controlUnchanged, true, summary);
    // Every route was reached: the first requests go to each operation in turn.
    assert.ok(report.operations >= 40, summary);
  });
});
