import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { AgentRecord, NewAgent } from "./agent-record.ts";

const body = { name: "r1", type: "reviewer", capabilities: ["ts"] };

describe("NewAgent", () => {
  it("applies the defaults: one lease at a time, 30 s to live", () => {
    expect(v.parse(NewAgent, body)).toEqual({ ...body, maxConcurrency: 1, ttlMs: 30_000 });
  });

  it("refuses ttlMs outside 5,000–3,600,000 at /ttlMs", () => {
    for (const ttlMs of [4_999, 3_600_001, 10_000.5, "30000"]) {
      const result = validate(NewAgent, { ...body, ttlMs });
      expect(result.success === false && result.issues[0]?.path).toBe("/ttlMs");
    }
    for (const ttlMs of [5_000, 3_600_000]) {
      expect(validate(NewAgent, { ...body, ttlMs }).success).toBe(true);
    }
  });

  it("refuses a maxConcurrency below 1, unknown members and missing capabilities", () => {
    const cases: [unknown, string][] = [
      [{ ...body, maxConcurrency: 0 }, "/maxConcurrency"],
      [{ ...body, maxConcurrency: 101 }, "/maxConcurrency"],
      [{ ...body, color: "red" }, "/color"],
      [{ name: "r1", type: "reviewer" }, "/capabilities"],
      [{ ...body, workflowIds: [] }, "/workflowIds"],
      [{ ...body, name: "  " }, "/name"],
    ];
    for (const [input, path] of cases) {
      const result = validate(NewAgent, input);
      expect(result.success === false && result.issues[0]?.path, path).toBe(path);
    }
  });
});

describe("AgentRecord", () => {
  it("accepts a registry record and refuses a malformed id", () => {
    const record = {
      id: `ag_${"0".repeat(32)}`,
      name: "r1",
      type: "reviewer",
      capabilities: [],
      maxConcurrency: 1,
      ttlMs: 30_000,
      workflowIds: null,
      status: "idle",
      leases: 0,
      lastSeenAt: 1,
      createdAt: 1,
      createdBy: "admin",
    };
    expect(validate(AgentRecord, record).success).toBe(true);
    const result = validate(AgentRecord, { ...record, id: "a1" });
    expect(result.success === false && result.issues[0]?.path).toBe("/id");
  });
});
