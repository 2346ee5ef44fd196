import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { Health } from "./health.ts";

const up = { status: "up", latencyMs: 1.25, service: "state-manager" };
const down = { status: "down", latencyMs: 2000, error: "no answer in 2000 ms" };
const health = (status: string, coordinator: object) => ({
  status,
  version: "0.1.0",
  components: { gateway: { status: "up", latencyMs: 0 }, stateManager: up, coordinator },
});

describe("Health", () => {
  it("accepts ok with every component up, and degraded with one down", () => {
    for (const answer of [health("ok", up), health("degraded", down)]) {
      expect(validate(Health, answer)).toEqual({ success: true, output: answer });
    }
  });

  it("refuses a status that disagrees with the components", () => {
    for (const answer of [health("ok", down), health("degraded", up)]) {
      const result = validate(Health, answer);
      expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
        "/status",
      ]);
    }
  });
});
