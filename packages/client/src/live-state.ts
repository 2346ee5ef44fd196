import {
  applyPatch,
  type CommitResult,
  checksum,
  type JsonPatch,
  type JsonValue,
  type StateEvent,
} from "@chorus/core";
import type { ChorusClient } from "./client.ts";

/** What a {@link LiveState} replica follows. */
export interface LiveOptions {
  /** default `main` */
  branch?: string;
}

/** Why a replica's state changed. */
export type LiveChange =
  /** an event's patch was applied and its checksum verified */
  | { type: "event"; version: number; event: StateEvent }
  /** the head was read again: at the start of a gap, or after a checksum that did not match */
  | { type: "resync"; version: number; reason: "gap" | "checksum" };

/** Called after each change of a replica, with its new state in `live.state`. */
export type LiveListener = (change: LiveChange) => void;

/**
 * A live replica of one branch of a workflow: it reads the head, follows the change stream from
 * that version, applies each event's patch and verifies the result's checksum (RFC 8785 SHA-256,
 * WebCrypto) before taking it. A version that does not follow the one it holds (a gap), or a
 * checksum that does not match, makes it read the head again. Its writes use its own version as
 * `baseVersion`, so a concurrent disjoint edit merges.
 * @example
 * const live = await chorus.live(id);
 * live.onChange(() => console.log(live.version, live.state));
 * await live.commit({ ...live.state, status: "running" });
 * live.close();
 */
export class LiveState<S = JsonValue> {
  readonly workflowId: string;
  readonly branch: string;
  #client: ChorusClient;
  #state: S;
  #version: number;
  #checksum: string;
  #listeners = new Set<LiveListener>();
  #waiters: Array<{ version: number; resolve: () => void }> = [];
  #stop = new AbortController();
  #following: Promise<void>;
  #failure: unknown;

  /** Use {@link ChorusClient.live}, which reads the head first. */
  constructor(
    client: ChorusClient,
    workflowId: string,
    branch: string,
    head: { state: S; version: number; checksum: string },
  ) {
    this.#client = client;
    this.workflowId = workflowId;
    this.branch = branch;
    this.#state = head.state;
    this.#version = head.version;
    this.#checksum = head.checksum;
    this.#following = this.#follow();
  }

  /** The state of {@link version}. Treat it as read-only: it is shared with later versions. */
  get state(): S {
    return this.#state;
  }

  /** The version the replica holds. */
  get version(): number {
    return this.#version;
  }

  /** The checksum of {@link state}, verified. */
  get checksum(): string {
    return this.#checksum;
  }

  /** Why the replica stopped following, if it stopped on an error (a revoked token, say). */
  get failure(): unknown {
    return this.#failure;
  }

  /**
   * @param listener called after each change
   * @returns a function that removes it
   */
  onChange(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves once the replica holds `version` or a later one (of its branch).
   * @param version e.g. a commit result's `version.version`
   */
  waitFor(version: number): Promise<void> {
    if (this.#version >= version) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ version, resolve }));
  }

  /** Commits a whole state with this replica's version as `baseVersion`. */
  commit(state: S, options: { changeDescription?: string } = {}): Promise<CommitResult> {
    return this.#client.commit(this.workflowId, {
      state,
      baseVersion: this.#version,
      branch: this.branch,
      ...options,
    });
  }

  /** Commits a JSON Patch with this replica's version as `baseVersion`. */
  patch(patch: JsonPatch, options: { changeDescription?: string } = {}): Promise<CommitResult> {
    return this.#client.patch(this.workflowId, patch, {
      baseVersion: this.#version,
      branch: this.branch,
      ...options,
    });
  }

  /** Stops following; resolves once the stream is closed. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.#following;
  }

  async #follow(): Promise<void> {
    const events = this.#client.subscribe(this.workflowId, {
      since: this.#version,
      branch: this.branch,
      signal: this.#stop.signal,
    });
    try {
      for await (const event of events) {
        try {
          await this.#apply(event);
        } catch {
          // A failed re-read leaves the replica at its verified version: the next event does not
          // follow it, so that event reads the head again.
        }
      }
    } catch (error) {
      if (!this.#stop.signal.aborted) this.#failure = error;
    }
  }

  async #apply(event: StateEvent): Promise<void> {
    if (event.version <= this.#version) return;
    if (event.parents[0] !== this.#version) return this.#resync("gap");
    let next: S;
    try {
      next = applyPatch(this.#state as JsonValue, event.patch) as S;
    } catch {
      return this.#resync("checksum");
    }
    if ((await checksum(next as JsonValue)) !== event.checksum) return this.#resync("checksum");
    this.#take(next, event.version, event.checksum, {
      type: "event",
      version: event.version,
      event,
    });
  }

  async #resync(reason: "gap" | "checksum"): Promise<void> {
    const head = await this.#client.getState<S>(this.workflowId, { branch: this.branch });
    this.#take(head.state, head.version, head.checksum, {
      type: "resync",
      version: head.version,
      reason,
    });
  }

  #take(state: S, version: number, sum: string, change: LiveChange): void {
    this.#state = state;
    this.#version = version;
    this.#checksum = sum;
    // Waiters first: their callbacks run later, after the listeners, but a listener that
    // throws must not leave them waiting.
    const due = this.#waiters.filter((waiter) => waiter.version <= version);
    this.#waiters = this.#waiters.filter((waiter) => waiter.version > version);
    for (const waiter of due) waiter.resolve();
    for (const listener of this.#listeners) listener(change);
  }
}
