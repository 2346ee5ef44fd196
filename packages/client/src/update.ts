import type { CommitResult, JsonValue } from "@chorus/core";
import { ConflictError, PreconditionFailedError } from "./errors.ts";
import type { CommitInput, GetStateOptions, StateRead } from "./types.ts";

/**
 * Computes the next state from the current one. It may return a new state, or change the one it
 * gets (a private copy) and return nothing. It can run more than once: keep it free of side effects.
 */
export type Updater<S> = (
  state: S,
  current: StateRead<S>,
) => S | undefined | Promise<S | undefined>;

/** How `update` reads, writes and retries. */
export interface UpdateOptions {
  /** attempts after the first when the write meets a conflict (409) or a moved head (412). Default 5 */
  retries?: number;
  /** default `main` */
  branch?: string;
  changeDescription?: string;
}

/** The two calls a read-modify-write needs. */
export interface StateIo {
  getState<S>(workflowId: string, options?: Pick<GetStateOptions, "branch">): Promise<StateRead<S>>;
  commit<S>(workflowId: string, input: CommitInput<S>): Promise<CommitResult>;
}

/**
 * Reads the head, applies `fn`, and commits the result with `baseVersion` set to the version
 * read, so a concurrent disjoint edit merges. On a conflict or a failed precondition it reads
 * again and re-applies `fn`, waiting a little longer each time.
 * @param io the client
 * @param workflowId the workflow
 * @param fn the change
 * @param options retries, branch and description
 * @returns the commit's result
 * @throws ConflictError or PreconditionFailedError once the retries are spent; other errors at once
 */
export async function readModifyWrite<S = JsonValue>(
  io: StateIo,
  workflowId: string,
  fn: Updater<S>,
  options: UpdateOptions = {},
): Promise<CommitResult> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const branch = options.branch === undefined ? {} : { branch: options.branch };
    const current = await io.getState<S>(workflowId, branch);
    const draft = structuredClone(current.state);
    const next = (await fn(draft, current)) ?? draft;
    try {
      return await io.commit<S>(workflowId, {
        state: next,
        baseVersion: current.version,
        ...branch,
        ...(options.changeDescription === undefined
          ? {}
          : { changeDescription: options.changeDescription }),
      });
    } catch (error) {
      const retryable = error instanceof ConflictError || error instanceof PreconditionFailedError;
      if (!retryable || attempt >= retries) throw error;
      await backoff(attempt);
    }
  }
}

// Exponential with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"), 10 ms to 1 s.
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(1000, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
