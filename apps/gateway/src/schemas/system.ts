import * as v from "valibot";

/** One issue of a refused request. */
export const ProblemIssue = v.object({
  /** JSON Pointer: into the body, or `/query/<name>`, `/headers/<name>`, `/params/<name>` */
  path: v.string(),
  message: v.string(),
});

/** An error response (RFC 9457 `application/problem+json`). */
export const Problem = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.string(),
  /** a stable code: core's error codes plus the gateway's HTTP ones (`UNAUTHENTICATED`, …) */
  code: v.string(),
  errors: v.array(ProblemIssue),
  /** on 409 CONFLICT: the queued conflict to resolve */
  conflictId: v.optional(v.string()),
  /** on 409 CONFLICT: every conflicting path with both sides */
  conflicts: v.optional(v.array(v.unknown())),
});

/**
 * Documents an error response a route can give besides the ones every route of its kind can.
 * @param description when it happens
 * @returns the response spec
 */
export function problemResponse(description: string) {
  return { description, schema: Problem, mediaType: "application/problem+json" };
}

/** One component as `/health` sees it. */
export const ComponentHealth = v.object({
  status: v.picklist(["up", "down"]),
  latencyMs: v.number(),
  service: v.optional(v.string()),
  error: v.optional(v.string()),
});

/** What `/health` reports: 200 when every component is up, else 503. */
export const Health = v.object({
  status: v.picklist(["ok", "degraded"]),
  version: v.string(),
  components: v.object({
    gateway: ComponentHealth,
    stateManager: ComponentHealth,
    coordinator: ComponentHealth,
  }),
});
