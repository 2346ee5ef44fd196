import { describe, expect, it } from "vitest";
import { benchFloorsEnabled } from "./bench-floors.ts";

describe("benchFloorsEnabled", () => {
  it("is on only for BENCH_FLOORS=1", () => {
    expect(benchFloorsEnabled({ BENCH_FLOORS: "1" })).toBe(true);
  });

  it("is off when the variable is missing, empty, 0 or any other spelling", () => {
    for (const value of [undefined, "", "0", "true", "yes", " 1", "01"]) {
      const env = value === undefined ? {} : { BENCH_FLOORS: value };
      expect(benchFloorsEnabled(env), JSON.stringify(value)).toBe(false);
    }
  });
});
