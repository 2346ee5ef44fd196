import { describe, expect, it } from "vitest";
import { ChorusError } from "./errors.ts";

describe("ChorusError", () => {
  it("reads a part's error from the whole value's root with under()", () => {
    const inner = new ChorusError("INVALID_JSON", "NaN is not a JSON number", {
      path: "/data/n",
      details: { at: 1 },
    });
    const outer = inner.under("/state");
    expect(outer).toBeInstanceOf(ChorusError);
    expect(outer.toData()).toEqual({
      code: "INVALID_JSON",
      message: "NaN is not a JSON number",
      path: "/state/data/n",
      details: { at: 1 },
    });
    expect(inner.path).toBe("/data/n");
    expect(new ChorusError("TOO_DEEP", "deep").under("/patch").path).toBe("/patch");
  });

  it("round-trips through its plain-data form", () => {
    const error = new ChorusError("NOT_FOUND", "no such task", { path: "/tasks/t9" });
    const back = ChorusError.fromData(error.toData());
    expect(back.toData()).toEqual(error.toData());
    expect(back.isUserError()).toBe(true);
  });
});
