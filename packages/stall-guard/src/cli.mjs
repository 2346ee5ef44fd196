#!/usr/bin/env node
// @ts-check
/**
 * `stall-guard [vitest run arguments]`: runs `vitest run` with the stall reporter beside the
 * default reporter. A run that stalls (exit {@link STALLED}) is run once more, said loudly: a stall
 * is the test runner losing a worker, not a test's verdict, and a second stall fails. Any other
 * exit code is passed on as it is.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { STALLED } from "./stall-reporter.mjs";

const reporter = fileURLToPath(new URL("./stall-reporter.mjs", import.meta.url));

/**
 * @param {string[]} args what to pass to `vitest run`
 * @returns {Promise<number>} vitest's exit code
 */
function runVitest(args) {
  return new Promise((resolve) => {
    const child = spawn(
      "vitest",
      ["run", "--reporter=default", `--reporter=${reporter}`, ...args],
      { stdio: "inherit" },
    );
    /** @param {NodeJS.Signals} signal */
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (error) => {
      console.error(`stall-guard: could not start vitest: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? 1);
    });
  });
}

const args = process.argv.slice(2);
let code = await runVitest(args);
if (code === STALLED) {
  console.error("stall-guard: the run stalled; running the suite once more");
  code = await runVitest(args);
  if (code === STALLED) console.error("stall-guard: the run stalled again");
}
process.exit(code === STALLED ? 1 : code);
