import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ReviewManagerConfig } from "./review-manager-config.ts";

describe("ReviewManagerConfig", () => {
  it("fills every member's default, so no config is a valid one", () => {
    expect(v.parse(ReviewManagerConfig, {})).toEqual({
      capability: "review",
      priority: "normal",
      leaseMs: 300_000,
    });
    const config = { capability: "legal-review", priority: "high", leaseMs: 60_000 };
    expect(v.parse(ReviewManagerConfig, config)).toEqual(config);
  });

  it("names the offending path: an empty capability, a bad priority, a short lease, an extra", () => {
    const paths = (input: unknown) =>
      v.safeParse(ReviewManagerConfig, input).issues?.map((issue) => v.getDotPath(issue));
    expect(paths({ capability: "" })).toEqual(["capability"]);
    expect(paths({ priority: "urgent" })).toEqual(["priority"]);
    expect(paths({ leaseMs: 10 })).toEqual(["leaseMs"]);
    expect(paths({ approvals: 2 })).toEqual(["approvals"]);
  });
});
