import type { TokenCounter } from "@chorus/core";

/** The encoding the Context Optimizer counts in: that of GPT-4o, GPT-4.1, GPT-5 and the o-series. */
export const TOKEN_ENCODING = "o200k_base";

let loading: Promise<TokenCounter> | undefined;

/**
 * The `o200k_base` token counter of `gpt-tokenizer`, loaded on first use. Its 2.7 MB of ranks
 * (1.1 MB gzipped) would cost every isolate about a second of start-up if imported statically;
 * imported dynamically, esbuild wraps the module so that its top level runs on the first context
 * request only, and never in an isolate that serves none.
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
