import { ChorusError } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { isOverload } from "../src/overload.ts";
import { problemResponse } from "../src/problem.ts";

// What the runtime threw across RPC when a local stack held more than about 1,000 live
// workflows (bench/RESULTS.md, "Sustained load"): SQLite's process-wide heap cap.
const NOMEM = Object.assign(new Error("out of memory: SQLITE_NOMEM"), { remote: true });

describe("a callee out of a resource", () => {
  it("is answered 503 OVERLOADED with Retry-After, thrown or as an INTERNAL result", async () => {
    for (const error of [NOMEM, new ChorusError("INTERNAL", "out of memory: SQLITE_NOMEM")]) {
      const response = problemResponse(error);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = (await response.json()) as { code: string; detail: string };
      expect(body.code).toBe("OVERLOADED");
      expect(body.detail).toMatch(/nothing was changed/);
    }
  });

  it("knows the runtime's resource limits and nothing else", () => {
    expect(isOverload(NOMEM)).toBe(true);
    expect(
      isOverload(new Error("Durable Object's isolate exceeded its memory limit and was reset.")),
    ).toBe(true);
    expect(isOverload(new Error("Durable Object is overloaded. Too many requests queued."))).toBe(
      true,
    );
    expect(isOverload(new Error("boom"))).toBe(false);
    expect(isOverload(undefined)).toBe(false);
  });

  it("leaves any other failure a 500 without its message", async () => {
    const response = problemResponse(new Error("boom"));
    expect(response.status).toBe(500);
    expect(response.headers.get("retry-after")).toBeNull();
    expect(((await response.json()) as { detail: string }).detail).not.toMatch(/boom/);
  });
});
