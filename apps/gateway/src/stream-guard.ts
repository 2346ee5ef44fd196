import { type Identity, identifyCredential } from "./auth.ts";
import type { Env } from "./env.ts";

/**
 * Looks a stream's token up again every `intervalMs`, so that a stream opened with a token that
 * is then revoked ends within one interval. A lookup that fails (the token store unreachable)
 * is tried again at the next interval rather than ending the stream.
 * @param env the bindings
 * @param identity the stream's caller
 * @param intervalMs how often to look
 * @param revoked called once when the token is gone
 * @returns a function that stops watching
 */
export function watchCredential(
  env: Env,
  identity: Identity,
  intervalMs: number,
  revoked: () => void,
): () => void {
  const credential = identity.credential;
  if (credential === undefined) return () => undefined;
  let stopped = false;
  const timer = setInterval(() => {
    void identifyCredential(credential, env).then(
      (now) => {
        if (now !== null || stopped) return;
        stop();
        revoked();
      },
      (error: unknown) => console.error("stream token check failed", error),
    );
  }, intervalMs);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
