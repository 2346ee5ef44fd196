import { type FeedEntry, type StateVersion, unwrap } from "@chorus/core";
import { createWorkflow, sampleState, service } from "./helpers.ts";

/** A workflow whose state starts with no tasks. @returns its id */
export function boardWorkflow(): Promise<string> {
  return createWorkflow(sampleState({ tasks: {} }));
}

/** Creates a task by `tester` and returns it. */
export async function addTask(
  workflowId: string,
  body: { id: string; type?: string } & Record<string, unknown>,
) {
  return unwrap(await service.createTask({ workflowId, author: "tester", type: "work", ...body }));
}

/** @returns every version of `main`, oldest first */
export async function allVersions(workflowId: string): Promise<StateVersion[]> {
  const versions: StateVersion[] = [];
  let cursor: number | undefined;
  do {
    const page = unwrap(
      await service.history({
        workflowId,
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      }),
    );
    versions.push(...page.versions);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return versions.reverse();
}

/** @returns the whole change feed after version 1 */
export async function feed(workflowId: string): Promise<FeedEntry[]> {
  const entries: FeedEntry[] = [];
  let after = 1;
  for (;;) {
    const page = unwrap(await service.changesSince({ workflowId, version: after, limit: 1000 }));
    entries.push(...page.entries);
    const last = page.entries.at(-1);
    if (!page.hasMore || last === undefined) return entries;
    after = last.version.version;
  }
}

/** @returns the head version number */
export async function headVersion(workflowId: string): Promise<number> {
  return unwrap(await service.getState({ workflowId })).version.version;
}
