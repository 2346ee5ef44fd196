/**
 * `pnpm demo`: simulated agents working one workflow through @chorus/client. Runs against the
 * stack at CHORUS_URL (default http://127.0.0.1:8787, as `npm start` serves it) or, when nothing
 * answers there, starts a throwaway stack of its own and stops it afterwards.
 */
import { runDemo } from "./demo-run.ts";
import { devAdminToken, type Stack, startStack } from "./stack.ts";

const url = (process.env.CHORUS_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`).replace(
  /\/+$/,
  "",
);
let stack: Stack | undefined;
try {
  let target = { baseUrl: url, token: process.env.CHORUS_TOKEN ?? "" };
  if (await answers(url)) {
    console.log(`Chorus answers at ${url}; running the demo against it.`);
    if (target.token === "") target.token = await devAdminToken();
  } else {
    console.log(`Nothing answers at ${url}: starting a throwaway stack for the demo…`);
    stack = await startStack({ port: 0, persist: false, workerOutput: "ignore" });
    target = { baseUrl: stack.url, token: stack.token };
  }
  await runDemo({ ...target, print: console.log });
} catch (error) {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stack?.stop();
}

async function answers(base: string): Promise<boolean> {
  try {
    await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
