// `npm run test:chaos`: kill cycles against a stack persisted in a fresh temporary directory.
// CHAOS_CYCLES (10), CHAOS_SEED (replay), CHAOS_WORKFLOWS (3).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeChaos, runChaos } from "./chaos.ts";
import { seedOf } from "./random.ts";

const seed = seedOf(process.env.CHAOS_SEED);
console.log(`chaos seed ${seed}`);
const stateDir = await mkdtemp(join(tmpdir(), "chorus-chaos-"));
try {
  const report = await runChaos({
    stateDir,
    seed,
    cycles: Number(process.env.CHAOS_CYCLES ?? 10),
    workflows: Number(process.env.CHAOS_WORKFLOWS ?? 3),
    log: (line) => console.log(line),
  });
  console.log(describeChaos(report));
  process.exitCode = report.failures.length === 0 ? 0 : 1;
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
