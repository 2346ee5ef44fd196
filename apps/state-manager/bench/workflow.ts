import type { Result } from "@chorus/core";
import type { CommitRequest, GetStateTextRequest } from "../src/inputs.ts";
import {
  applyChange,
  asPatch,
  type BenchState,
  jsonBytes,
  type SmallChange,
  smallChange,
  workflowState,
} from "./fixtures.ts";
import type { Harness } from "./harness.ts";

/** Every operation the benchmark times. */
export const OPS = [
  "http",
  "noop",
  "insert",
  "sink",
  "source",
  "commitPatch",
  "commitState",
  "readHead",
  "readHeld",
  "readPath",
  "readOld",
] as const;
export type OpName = (typeof OPS)[number];

/** An operation with its request already serialized, so the timer sees only the round trip. */
export interface PreparedOp {
  route: string;
  body: string;
  /** checks the answer and updates what the workflow knows (head, state) */
  done(answer: unknown): void;
}

/** The keyframe interval the state manager uses by default (settings.ts). */
export const KEYFRAME_INTERVAL = 32;
/** How far past its keyframe an old read starts: reading `head − 20` costs about this. */
export const OLD_READ_CHAIN = 20;
/** Old versions read in turn; enough that the object's 8-state cache never holds the next one. */
const OLD_READ_TARGETS = 4;

type CommitAnswer = { version: { version: number } };
type ReadAnswer = { version: { version: number }; state: BenchState };

/**
 * @param route what was called
 * @param answer its JSON answer, a `Result`
 * @returns the value
 * @throws Error when the result is an error: the benchmark stops rather than time failures
 */
export function expectOk<T>(route: string, answer: unknown): T {
  const result = answer as Result<T>;
  if (!result.ok) throw new Error(`${route}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * One benchmark workflow: a StateManager holding a generated state, a floor object of the same
 * name, and what Node knows of them (the head version and a mirror of its state).
 */
export class BenchWorkflow {
  readonly workflowId: string;
  readonly stateBytes: number;
  state: BenchState;
  head = 0;
  #changes = 0;
  #oldReads = 0;
  readonly #h: Harness;

  /**
   * @param h the harness
   * @param taskCount the state's size in tasks
   * @param name the workflow id (default `bench-<taskCount>`)
   */
  constructor(h: Harness, taskCount: number, name = `bench-${taskCount}`) {
    this.#h = h;
    this.workflowId = name;
    this.state = workflowState(taskCount);
    this.stateBytes = jsonBytes(this.state);
  }

  /**
   * Creates the workflow, configures it for the benchmark, and gives the floor the state.
   * @param archive keep the default archive policy (only the archive probe wants it)
   */
  async setup(archive = false): Promise<void> {
    const { workflowId, state } = this;
    const created = expectOk<CommitAnswer>(
      "create",
      await this.call("/state/create", { workflowId, state, author: "bench" }),
    );
    this.head = created.version.version;
    // The first archive run comes 60 s after a workflow's first write and would land in another
    // size's measurements (and hold this one's writes): keep every version in SQLite instead.
    // The ~1 MB state is within 2% of the default 1 MiB limit: give it headroom.
    const settings = {
      ...(archive ? {} : { archivePolicy: { maxVersionsPerWorkflow: Number.MAX_SAFE_INTEGER } }),
      ...(this.stateBytes > 512 * 1024 ? { limits: { maxStateBytes: 8 * 1024 * 1024 } } : {}),
    };
    expectOk("configure", await this.call("/state/configure", { workflowId, settings }));
    expectOk("hold", await this.call("/floor/hold", { workflowId, value: state }));
  }

  /** Sends one request and checks its answer; for setup, not for timing. */
  async call(route: string, input: unknown): Promise<unknown> {
    return this.#h.call(route, JSON.stringify(input));
  }

  /**
   * Times one operation from Node: the request sent to its answer parsed.
   * @returns milliseconds
   */
  async time(op: PreparedOp): Promise<number> {
    const started = performance.now();
    // The round trip ends with the answer's last byte; decoding and parsing it is this
    // harness's work.
    const bytes = await this.#h.receive(op.route, op.body);
    const elapsed = performance.now() - started;
    op.done(JSON.parse(new TextDecoder().decode(bytes)));
    return elapsed;
  }

  /**
   * @param name the operation
   * @param based whether a commit names the head as its base; concurrent writers cannot know it
   * @returns it, ready to time
   */
  prepare(name: OpName, based = true): PreparedOp {
    const { workflowId } = this;
    const ignore = (route: string) => (answer: unknown) => void expectOk(route, answer);
    const simple = (route: string, input: object): PreparedOp => ({
      route,
      body: JSON.stringify({ workflowId, ...input }),
      done: ignore(route),
    });
    switch (name) {
      case "http":
        return simple("/http/echo", {});
      case "noop":
        return simple("/state/noop", {});
      case "insert":
        return simple("/floor/insert", { body: `row ${this.#changes}` });
      case "sink":
        return simple("/floor/sink", { value: this.state });
      case "source":
        return simple("/floor/source", {});
      case "commitPatch":
      case "commitState":
        return this.#commit(name, smallChange(this.state, this.#changes++), based);
      case "readHead":
        return this.#read({ workflowId });
      case "readHeld":
        // A reader that already holds the head (`*`: whichever version it is) gets no text.
        return this.#read({ workflowId, ifNoneMatch: ["*"] });
      case "readPath":
        return this.#read({
          workflowId,
          path: `/tasks/${smallChange(this.state, this.#changes).id}`,
        });
      case "readOld":
        return this.#read({ workflowId, version: this.#oldTarget(this.#oldReads++) });
    }
  }

  #commit(name: "commitPatch" | "commitState", change: SmallChange, based: boolean): PreparedOp {
    const next = applyChange(this.state, change);
    const input: CommitRequest = {
      workflowId: this.workflowId,
      author: "bench",
      changeDescription: `${change.id} → ${change.status}`,
      ...(name === "commitPatch" ? { patch: asPatch(change) } : { state: next }),
      ...(based ? { baseVersion: this.head } : {}),
    };
    return {
      route: "/state/commit",
      body: JSON.stringify(input),
      done: (answer) => {
        const value = expectOk<CommitAnswer>("commit", answer);
        if (based) {
          this.head = value.version.version;
          this.state = next;
        }
      },
    };
  }

  #read(input: GetStateTextRequest): PreparedOp {
    const held = input.ifNoneMatch !== undefined;
    return {
      route: "/state/getStateText",
      body: JSON.stringify(input),
      done: (answer) => {
        const value = expectOk<ReadAnswer & { notModified?: true }>("getStateText", answer);
        if (held ? value.notModified !== true : typeof value.state !== "object") {
          throw new Error(
            `getStateText: ${held ? "text sent to a reader that held it" : "no state"}`,
          );
        }
      },
    };
  }

  /**
   * Old reads rotate over the newest few versions that sit {@link OLD_READ_CHAIN} patches past
   * a keyframe and at least that far below the head. History here is linear on `main` from
   * version 1, so keyframes are versions 1, 33, 65, …
   */
  #oldTarget(n: number): number {
    const targets: number[] = [];
    for (let v = 1 + OLD_READ_CHAIN; v <= this.head - OLD_READ_CHAIN; v += KEYFRAME_INTERVAL) {
      targets.push(v);
    }
    const recent = targets.slice(-OLD_READ_TARGETS);
    if (recent.length < OLD_READ_TARGETS) throw new Error("not enough history for old reads");
    return recent[n % recent.length] as number;
  }

  /** Re-reads the head after writers that did not track it. */
  async sync(): Promise<void> {
    const read = expectOk<ReadAnswer>(
      "getState",
      await this.call("/state/getState", { workflowId: this.workflowId }),
    );
    this.head = read.version.version;
    this.state = read.state;
  }

  /** @returns counters from `metrics()` */
  async metrics(): Promise<{
    versionsCreated: number;
    storedBytes: number;
    versionsArchived: number;
  }> {
    return expectOk("metrics", await this.call("/state/metrics", { workflowId: this.workflowId }));
  }

  /** @returns the minimum history the old reads need */
  static historyNeeded(): number {
    return OLD_READ_TARGETS * KEYFRAME_INTERVAL + 2 * OLD_READ_CHAIN;
  }
}
