import { checkHistory, checksum, type IntegrityProblem, type IntegrityReport } from "@chorus/core";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Rebuilds every version from storage (archived ones from R2), recomputes its checksum, and
 * checks the version graph and the branch heads.
 * @param ctx the workflow
 * @returns every problem found
 */
export async function verifyIntegrity(ctx: WorkflowContext): Promise<IntegrityReport> {
  const rows = ctx.versions.select("ORDER BY version");
  const report = await checkHistory(
    rows.map((row) => ({
      id: String(row.version),
      version: row.version,
      parents: row.parents.map(String),
      checksum: row.checksum,
    })),
    { recompute: async (node) => checksum(await ctx.versions.stateAt(node.version)) },
  );
  const problems: IntegrityProblem[] = report.problems.map((problem) => ({
    ...(problem.version === undefined ? {} : { version: problem.version }),
    code: problem.code,
    problem: problem.problem,
  }));
  for (const branch of ctx.branches.list()) {
    if (ctx.versions.row(branch.head) === undefined) {
      problems.push({
        code: "MISSING_HEAD",
        problem: `branch "${branch.name}" points at missing version ${branch.head}`,
      });
    }
  }
  return { ok: problems.length === 0, checked: report.checked, problems };
}
