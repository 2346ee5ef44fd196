import { ChorusError, type CommitResult, type JsonValue, sha256Hex } from "@chorus/core";
import { validateIncoming } from "./commit.ts";
import type { CreateInput } from "./inputs.ts";
import { VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Starts a workflow's history: version 1 on branch `main`. Asked again for a workflow whose
 * version 1 is this very state, author and description (a retried create), it writes nothing
 * and returns that version 1 with `replayed: true`, whatever was committed since.
 * @param ctx the workflow (not yet created, or created by this same request before)
 * @param input the initial state and its author
 * @param claim records the workflow id in the same transaction as version 1
 * @returns version 1
 * @throws ChorusError `ALREADY_EXISTS` when the workflow's history started otherwise
 */
export async function createWorkflow(
  ctx: WorkflowContext,
  input: CreateInput,
  claim: () => void,
): Promise<CommitResult> {
  validateIncoming(input.state);
  const state = input.state;
  if (ctx.versions.latest() > 0) return repeatedCreate(ctx, input, state);
  const prepared = await prepareVersion(ctx, {
    branch: "main",
    parents: [],
    state,
    author: input.author,
    description: input.changeDescription,
    origin: "create",
  });
  const row = writeVersion(ctx, prepared, claim);
  return created(VersionStore.toStateVersion(row, input.workflowId), false);
}

/**
 * A create for a workflow that has a history: version 1 again when the request is the one that
 * made it. The gateway derives a workflow id from its creator and Idempotency-Key, so this is
 * how a retried `POST /api/workflows` finds the workflow its first attempt made.
 */
async function repeatedCreate(
  ctx: WorkflowContext,
  input: CreateInput,
  state: JsonValue,
): Promise<CommitResult> {
  const first = ctx.versions.row(1);
  if (
    first !== undefined &&
    first.author === input.author &&
    first.description === input.changeDescription &&
    first.checksum === (await sha256Hex(ctx.versions.canonical.text(state)))
  ) {
    return created(VersionStore.toStateVersion(first, input.workflowId), true);
  }
  throw new ChorusError("ALREADY_EXISTS", `workflow "${input.workflowId}" exists already`, {
    path: "/workflowId",
  });
}

function created(version: CommitResult["version"], replayed: boolean): CommitResult {
  return { version, origin: "create", merged: [], resolved: [], replayed };
}
