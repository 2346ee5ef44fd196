// `npm run test:fuzz`: a seeded hostile-input run against a throwaway local stack.
// FUZZ_SEED (replay), FUZZ_COUNT (5000), FUZZ_SECONDS (300), FUZZ_CONCURRENCY (4).
import { startStack } from "../src/index.ts";
import { describeFuzz, runFuzz } from "./fuzz.ts";
import { seedOf } from "./random.ts";

const seed = seedOf(process.env.FUZZ_SEED);
console.log(`fuzz seed ${seed}`);
const stack = await startStack({ port: 0, persist: false, workerOutput: "ignore" });
try {
  const report = await runFuzz({
    baseUrl: stack.url,
    token: stack.token,
    seed,
    count: Number(process.env.FUZZ_COUNT ?? 5000),
    seconds: Number(process.env.FUZZ_SECONDS ?? 300),
    concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 4),
  });
  console.log(describeFuzz(report));
  process.exitCode = report.failures.length === 0 && report.controlUnchanged ? 0 : 1;
} finally {
  await stack.stop();
}
