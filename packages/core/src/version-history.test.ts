import { describe, expect, it } from "vitest";
import { node } from "./testing/version-dag.ts";
import type { VersionNode } from "./version-graph.ts";
import { checkHistory } from "./version-history.ts";

const sound: VersionNode[] = [
  node("v1", 1),
  node("v2", 2, ["v1"]),
  node("v3", 3, ["v1"]),
  node("v4", 4, ["v2", "v3"]),
];

describe("checkHistory", () => {
  it("passes a sound history with merges", async () => {
    expect(await checkHistory(sound)).toEqual({ ok: true, checked: 4, problems: [] });
  });

  it("reports every structural problem with its code", async () => {
    const report = await checkHistory([
      node("v1", 1),
      node("v1", 9),
      node("v2", 1, ["v1"]),
      node("v3", 3, ["ghost"]),
      { ...node("other", 4), workflowId: "wf-2" },
      { ...node("v5", 5, ["other"]), workflowId: "wf-1" },
    ]);
    expect(report.ok).toBe(false);
    expect(report.checked).toBe(6);
    expect(report.problems.map(({ versionId, code }) => [versionId, code])).toEqual([
      ["v1", "DUPLICATE_ID"],
      ["v2", "DUPLICATE_VERSION"],
      ["v2", "NON_MONOTONIC"],
      ["v3", "MISSING_PARENT"],
      ["v5", "FOREIGN_PARENT"],
    ]);
    expect(report.problems[3]).toMatchObject({ version: 3, parentId: "ghost" });
  });

  it("numbers versions per workflow", async () => {
    const two = [
      { ...node("a1", 1), workflowId: "a" },
      { ...node("b1", 1), workflowId: "b" },
    ];
    expect((await checkHistory(two)).ok).toBe(true);
  });

  it("reports a cycle as a non-monotonic edge", async () => {
    const report = await checkHistory([node("x", 1, ["y"]), node("y", 2, ["x"])]);
    expect(report.problems.map((problem) => problem.code)).toEqual(["NON_MONOTONIC"]);
  });

  it("recomputes checksums, in input order, reporting mismatches and failures", async () => {
    const versions = sound.map((version, i) => ({ ...version, checksum: `sum-${i}` }));
    const report = await checkHistory(versions, {
      concurrency: 3,
      recompute: async (version) => {
        // Finish out of order (later versions yield fewer times), so the report's order is
        // shown not to depend on timing.
        for (let turn = 10 - Number(version.id.slice(1)) * 2; turn > 0; turn--)
          await Promise.resolve();
        if (version.id === "v2") throw new Error("state archived");
        return version.id === "v4" ? "tampered" : version.checksum;
      },
    });
    expect(report.problems).toEqual([
      expect.objectContaining({ versionId: "v2", code: "UNREADABLE" }),
      expect.objectContaining({ versionId: "v4", code: "CHECKSUM_MISMATCH" }),
    ]);
    expect(report.problems[1]?.problem).toContain("tampered");
  });

  it("checks 100,000 versions", async () => {
    const long: VersionNode[] = [node("v0", 1)];
    for (let i = 1; i < 100_000; i++) long.push(node(`v${i}`, i + 1, [`v${i - 1}`]));
    const report = await checkHistory(long, { recompute: async (version) => version.checksum });
    expect(report).toEqual({ ok: true, checked: 100_000, problems: [] });
  });
});
