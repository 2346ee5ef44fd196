// @ts-check
/** @import { Reporter, TestModule, TestRunEndReason } from "vitest/node" */

/** The exit code of a run that stalled: the guard runs the suite once more on it. */
export const STALLED = 75;

/**
 * Reads a duration in milliseconds from the environment.
 * @param {string} name the variable
 * @param {number} fallback used when the variable is unset or not a positive number
 * @returns {number}
 */
function durationFrom(name, fallback) {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * A vitest reporter that ends a run nothing moves in. Every test has a timeout, but the timer
 * runs where the test runs: a Worker's isolate that never yields, or a workerd process the pool
 * lost, never reports again, and vitest waits for it without end (cloudflare/workers-sdk#15498,
 * cloudflare/workerd#6763). Here, in vitest's own process, a run in which no test, hook or file
 * finished for `STALL_GUARD_MS` names the files not finished and exits with {@link STALLED}; a
 * run whose tests all ended but whose teardown does not is ended after `STALL_GUARD_TEARDOWN_MS`
 * with the exit code its tests earned.
 *
 * @implements {Reporter}
 */
export default class StallReporter {
  /** files queued or started and not yet ended, with their project */
  #unfinished = new Map();
  /** @type {NodeJS.Timeout | undefined} */
  #timer;
  #stallMs = durationFrom("STALL_GUARD_MS", 300_000);
  #teardownMs = durationFrom("STALL_GUARD_TEARDOWN_MS", 60_000);

  onTestRunStart() {
    this.#arm();
  }

  /**
   * A file is known from its queueing on: one whose isolate never yields may never report its
   * start (the workers pool sends its updates from inside the isolate).
   * @param {TestModule} testModule
   */
  onTestModuleQueued(testModule) {
    this.#unfinished.set(testModule.moduleId, testModule.project.name);
    this.#arm();
  }

  /** @param {TestModule} testModule */
  onTestModuleStart(testModule) {
    this.onTestModuleQueued(testModule);
  }

  /** @param {TestModule} testModule */
  onTestModuleEnd(testModule) {
    this.#unfinished.delete(testModule.moduleId);
    this.#arm();
  }

  onTestCaseResult() {
    this.#arm();
  }

  onHookEnd() {
    this.#arm();
  }

  /**
   * @param {ReadonlyArray<TestModule>} _testModules
   * @param {ReadonlyArray<unknown>} unhandledErrors
   * @param {TestRunEndReason} reason
   */
  onTestRunEnd(_testModules, unhandledErrors, reason) {
    const code = reason === "passed" && unhandledErrors.length === 0 ? 0 : 1;
    this.#arm(this.#teardownMs, () => {
      const outcome = code === 0 ? "passed" : "failed";
      console.error(
        `stall-guard: the tests ${outcome}, but closing the test runner took over ${seconds(this.#teardownMs)}; ending it`,
      );
      process.exit(code);
    });
  }

  /**
   * (Re)starts the timer; unreferenced, so it never holds a finished run open by itself.
   * @param {number} ms
   * @param {() => void} onExpiry
   */
  #arm(ms = this.#stallMs, onExpiry = () => this.#stalled()) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(onExpiry, ms);
    this.#timer.unref();
  }

  #stalled() {
    const unfinished = [...this.#unfinished].map(([file, project]) =>
      project ? `${file} (${project})` : file,
    );
    console.error(
      `stall-guard: nothing finished for ${seconds(this.#stallMs)}; not finished: ${unfinished.join(", ") || "no file (the pool itself)"}`,
    );
    // Exiting runs miniflare's exit hook, which kills its workerd process.
    process.exit(STALLED);
  }
}

/**
 * @param {number} ms
 * @returns {string}
 */
function seconds(ms) {
  return `${Math.round(ms / 100) / 10} s`;
}
