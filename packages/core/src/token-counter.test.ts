import { describe, expect, it } from "vitest";
import { estimateTokens } from "./token-counter.ts";

// o200k_base counts of these texts, computed with gpt-tokenizer 4.0.0 outside this suite (core
// has no tokenizer): the estimate is calibrated against them.
const O200K: Array<[string, number]> = [
  ['{"status":"running"}', 5],
  [
    '{"id":"task-00001","title":"Review module 1 for consistency","status":"ready","assignee":"agent-1","capabilities":["review","rust"],"attempts":1,"updatedAt":1764000001000,"result":{"summary":"Checked 7 lines; 1 findings.","score":0.01},"notes":"Agent 1 left context for the next reviewer: module 1 depends on 2."}',
    90,
  ],
  [
    '{"description":"Ship the release: build, test, sign and publish the artifacts for every platform.","id":"wf","name":"Release 1.4","priority":"high","status":"running"}',
    40,
  ],
];

describe("estimateTokens", () => {
  it("costs nothing for nothing", () => {
    expect(estimateTokens("")).toBe(0);
  });

  it.each(O200K)("stays within 25%% of o200k_base on %s", (text, real) => {
    const estimate = estimateTokens(text);
    expect(Math.abs(estimate - real) / real).toBeLessThanOrEqual(0.25);
  });

  it("grows with the text", () => {
    const one = estimateTokens('{"title":"Write the changelog"}');
    expect(estimateTokens(`[${'{"title":"Write the changelog"}, '.repeat(9)}{}]`)).toBeGreaterThan(
      9 * one - 9,
    );
  });

  it("counts non-Latin letters more densely than Latin ones", () => {
    expect(estimateTokens("変更を確認する")).toBeGreaterThan(estimateTokens("reviewing"));
  });
});
