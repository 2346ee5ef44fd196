import * as v from "valibot";

/** One component of Chorus as a health check saw it: up with its round trip, or down and why. */
export const ComponentHealth = v.object({
  status: v.picklist(["up", "down"]),
  /** the round trip of its `ping`, in milliseconds */
  latencyMs: v.pipe(v.number(), v.finite(), v.minValue(0)),
  /** the name the component answered with, when up */
  service: v.exactOptional(v.string()),
  /** why it counts as down */
  error: v.exactOptional(v.string()),
});

/** One component of Chorus as a health check saw it. */
export type ComponentHealth = v.InferOutput<typeof ComponentHealth>;

/** The health of the gateway and each worker it calls: `ok` when every component is up. */
export const Health = v.pipe(
  v.object({
    status: v.picklist(["ok", "degraded"]),
    /** the gateway's package version */
    version: v.string(),
    components: v.object({
      gateway: ComponentHealth,
      stateManager: ComponentHealth,
      coordinator: ComponentHealth,
    }),
  }),
  v.forward(
    v.partialCheck(
      [["status"], ["components"]],
      ({ status, components }) =>
        (status === "ok") === Object.values(components).every((c) => c.status === "up"),
      'Invalid status: it must be "ok" exactly when every component is up',
    ),
    ["status"],
  ),
);

/** The health of the gateway and each worker it calls. */
export type Health = v.InferOutput<typeof Health>;
