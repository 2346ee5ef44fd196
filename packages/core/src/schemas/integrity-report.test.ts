import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { IntegrityReport } from "./integrity-report.ts";

const problem = { version: 3, code: "CHECKSUM_MISMATCH", problem: "version 3 does not recompute" };

describe("IntegrityReport", () => {
  it("accepts a sound history and a damaged one, a problem without a version included", () => {
    const sound = { ok: true, checked: 4, problems: [] };
    expect(validate(IntegrityReport, sound)).toEqual({ success: true, output: sound });
    const headless = { code: "MISSING_HEAD", problem: 'branch "b" points at missing version 9' };
    const damaged = { ok: false, checked: 4, problems: [problem, headless] };
    expect(validate(IntegrityReport, damaged)).toEqual({ success: true, output: damaged });
  });

  it("refuses an ok that disagrees with the problems", () => {
    for (const report of [
      { ok: true, checked: 4, problems: [problem] },
      { ok: false, checked: 4, problems: [] },
    ]) {
      const result = validate(IntegrityReport, report);
      expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual(["/ok"]);
    }
  });
});
