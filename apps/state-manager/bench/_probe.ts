import { startHarness } from "./harness.ts";
import { BenchWorkflow } from "./workflow.ts";
const h = await startHarness();
const t0 = performance.now();
const el = () => Math.round((performance.now() - t0) / 1000);
try {
  const wf = new BenchWorkflow(h, 3, "a-commits");
  await wf.setup(true);
  while (wf.head < 150) await wf.time(wf.prepare("commitPatch"));
  await new Promise((r) => setTimeout(r, 45000));
  let stop = false;
  const job = (async () => { while (!stop) await wf.time(wf.prepare("commitPatch")); })();
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 5000));
    console.log(el(), "s archived", (await wf.metrics()).versionsArchived, "head", wf.head);
  }
  stop = true; await job;
} finally { await h.dispose(); }
