import { CONTEXT_TOKEN_ENCODING, type TokenCounter } from "@chorus/core";

/** The encoding the Context Optimizer counts in (core's {@link CONTEXT_TOKEN_ENCODING}). */
export const TOKEN_ENCODING = CONTEXT_TOKEN_ENCODING;

let loading: Promise<TokenCounter> | undefined;

/**
 * The `o200k_base` token counter of `gpt-tokenizer`, loaded on first use. Its 2.7 MB of ranks
 * (1.1 MB gzipped) would cost every isolate of the agents worker about a second of start-up if
 * imported statically; imported dynamically, esbuild wraps the module so that its top level runs
 * on the first view an isolate builds, and never in one that only runs other agents.
 * @returns the counter, the same function for every call in an isolate
 * @example
 * const count = await tokenCounter();
 * count('{"status":"running"}'); // 5
 */
export function tokenCounter(): Promise<TokenCounter> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then(
    (encoding) => (text: string) => encoding.countTokens(text),
    (error: unknown) => {
      // A failed load is not kept: the next request tries again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
