import type { Env } from "./env.ts";

/** At most one touch per agent per this many milliseconds from one isolate. */
const TOUCH_INTERVAL_MS = 5_000;

/** When this isolate last touched each agent; bounded so a flood of agents cannot grow it. */
const lastTouch = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

/**
 * Counts a request made with an agent's token as hearing from the agent: tells the coordinator
 * once the request has been served (`ctx.waitUntil`), at most once per
 * {@link TOUCH_INTERVAL_MS} per isolate, so an agent's busy work does not double its requests.
 * A failure is logged and forgotten: the next request tries again.
 * @param env the bindings
 * @param ctx the request's execution context
 * @param agentId the agent the token acts as
 */
export function touchAgent(env: Env, ctx: ExecutionContext, agentId: string): void {
  const now = Date.now();
  const last = lastTouch.get(agentId);
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
  heardAgent(agentId, now);
  ctx.waitUntil(
    env.COORDINATOR.touchAgent({ agentId }).then(
      (result) => {
        if (!result.ok) lastTouch.delete(agentId);
      },
      (error: unknown) => {
        lastTouch.delete(agentId);
        console.warn(`touching agent ${agentId} failed`, error);
      },
    ),
  );
}

/**
 * Notes that the coordinator has just heard from an agent through the request's own call, so
 * the next {@link TOUCH_INTERVAL_MS} of its requests from this isolate send no touch.
 * @param agentId the agent the token acts as
 * @param now when it was heard
 */
export function heardAgent(agentId: string, now = Date.now()): void {
  if (lastTouch.size >= MAX_REMEMBERED) lastTouch.clear();
  lastTouch.set(agentId, now);
}
