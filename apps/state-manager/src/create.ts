import { ChorusError } from "@chorus/core";
import type { CommitOutput } from "./commit.ts";
import { validateIncoming } from "./commit.ts";
import type { CreateInput } from "./inputs.ts";
import { VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Starts a workflow's history: version 1 on branch `main`.
 * @param ctx the workflow (not yet created)
 * @param input the initial state and its author
 * @param claim records the workflow id in the same transaction as version 1
 * @returns version 1
 * @throws ChorusError `ALREADY_EXISTS` when the workflow has a history
 */
export async function createWorkflow(
  ctx: WorkflowContext,
  input: CreateInput,
  claim: () => void,
): Promise<CommitOutput> {
  if (ctx.versions.latest() > 0) {
    throw new ChorusError("ALREADY_EXISTS", `workflow "${input.workflowId}" exists already`, {
      path: "/workflowId",
    });
  }
  validateIncoming(input.state);
  const prepared = await prepareVersion(ctx, {
    branch: "main",
    parents: [],
    state: input.state,
    author: input.author,
    description: input.changeDescription,
    origin: "create",
  });
  const row = writeVersion(ctx, prepared, claim);
  return {
    version: VersionStore.toStateVersion(row, input.workflowId),
    origin: "create",
    merged: [],
    resolved: [],
    replayed: false,
  };
}
