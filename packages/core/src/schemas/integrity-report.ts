import * as v from "valibot";
import { Count, VersionNumber } from "./fields.ts";

/** One thing wrong with a stored history. */
export const IntegrityProblem = v.object({
  /** the version concerned; absent for a problem of no one version (a branch head) */
  version: v.exactOptional(VersionNumber),
  /** one of `checkHistory`'s codes (`CHECKSUM_MISMATCH`, `MISSING_PARENT`, …) or `MISSING_HEAD` */
  code: v.string(),
  problem: v.string(),
});

/** One thing wrong with a stored history. */
export type IntegrityProblem = v.InferOutput<typeof IntegrityProblem>;

/** The outcome of checking a workflow's whole history: sound when no problem was found. */
export const IntegrityReport = v.pipe(
  v.object({
    ok: v.boolean(),
    /** how many versions were rebuilt and checked */
    checked: Count,
    problems: v.array(IntegrityProblem),
  }),
  v.forward(
    v.partialCheck(
      [["ok"], ["problems"]],
      (report) => report.ok === (report.problems.length === 0),
      "Invalid ok: it must be true exactly when there are no problems",
    ),
    ["ok"],
  ),
);

/** The outcome of checking a workflow's whole history. */
export type IntegrityReport = v.InferOutput<typeof IntegrityReport>;
