import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { Conflict, ResolvedConflict } from "./conflict.ts";

describe("Conflict", () => {
  it("accepts a delete-versus-modify conflict with the deleted side left out", () => {
    const conflict = v.parse(Conflict, { path: "/tasks/t1", base: { a: 1 }, theirs: { a: 2 } });
    expect(conflict).toEqual({ path: "/tasks/t1", base: { a: 1 }, theirs: { a: 2 } });
    expect("ours" in conflict).toBe(false);
  });

  it("refuses a side that is not JSON data", () => {
    expect(v.safeParse(Conflict, { path: "", ours: Number.NaN }).success).toBe(false);
    expect(v.safeParse(Conflict, { path: "", ours: undefined }).success).toBe(false);
    expect(v.safeParse(Conflict, { path: "", ours: new Date(0) }).success).toBe(false);
  });

  it("requires the strategy name on a resolved conflict", () => {
    expect(v.safeParse(ResolvedConflict, { path: "/n", ours: 1 }).success).toBe(false);
    expect(v.parse(ResolvedConflict, { path: "/n", id: 7, ours: 1, strategy: "ours" })).toEqual({
      path: "/n",
      id: 7,
      ours: 1,
      strategy: "ours",
    });
  });
});
