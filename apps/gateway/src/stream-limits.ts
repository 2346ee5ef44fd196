import type { Env } from "./env.ts";

/** A consumer with more than this many events not yet taken is closed with a resume message. */
export const MAX_BACKLOG_EVENTS = 1000;

/** …or with more than this many bytes of events not yet taken. */
export const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;

/** A paused replay is asked for more once the backlog is below this many events… */
export const REFILL_BELOW_EVENTS = 100;

/** …and this many bytes. */
export const REFILL_BELOW_BYTES = 1024 * 1024;

/** The timers of a stream, from the `STREAM_*` vars (seconds) with these defaults. */
export interface StreamTimers {
  /** how often an idle SSE stream gets a `: ping` comment (proxies close silent streams) */
  pingMs: number;
  /** how often the stream's token is looked up again, so a revoked one ends it */
  recheckMs: number;
}

/**
 * @param env the bindings
 * @returns the timers in force
 */
export function streamTimers(env: Env): StreamTimers {
  return {
    pingMs: seconds(env.STREAM_PING_SECONDS, 15) * 1000,
    recheckMs: seconds(env.STREAM_RECHECK_SECONDS, 30) * 1000,
  };
}

function seconds(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}
