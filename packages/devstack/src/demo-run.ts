import {
  type ChorusClient,
  type CommitResult,
  ConflictError,
  describeCommit,
  describeConflicts,
  formatHistory,
  formatPatch,
  type QueuedConflict,
} from "@chorus/client";
import type { JsonPatch } from "@chorus/core";
import { type Agent, agentsFor, type ReleaseState, releaseState } from "./demo-agents.ts";
import { followLive } from "./demo-live.ts";
import { completeByRule } from "./demo-rules.ts";

/** Where the demo runs and where its lines go. */
export interface DemoOptions {
  baseUrl: string;
  /** an admin token: the demo issues each agent its own writer token with it */
  token: string;
  print: (line: string) => void;
}

/**
 * Simulated agents share one workflow through @chorus/client: concurrent commits from a stale
 * base that merge, a real conflict and its resolution, a snapshot and a restore, two agents
 * following each other live with verified replicas, the Pattern Bridge's example rule completing
 * the workflow, then the history, a diff and an integrity check.
 * @param options the stack's URL, an admin token and a printer
 * @returns the workflow's id
 */
export async function runDemo(options: DemoOptions): Promise<string> {
  const { print } = options;
  const step = (title: string) => print(`\n▸ ${title}`);
  const started = performance.now();

  const agents = await agentsFor(options, ["planner", "builder", "tester", "writer", "lead"]);
  const { planner, builder, tester, writer, lead } = agents.byName;
  step("planner creates a workflow; each agent holds its own writer token, so commits name it");
  const { workflow } = await planner.client.createWorkflow({
    name: "Release 1.4",
    priority: "high",
    context: { tags: ["demo", "release"] },
    initialState: releaseState(),
  });
  const id = workflow.id;
  print(`  workflow ${id} "${workflow.name}", version 1 on main`);
  const running = await planner.client.updateWorkflow(id, { status: "running" });
  print(`  status ${workflow.status} → ${running.status}`);

  step("builder, tester and writer all read version 1, then commit at the same moment");
  const base = await mustRead(planner.client, id);
  const edits = [
    { agent: builder, task: "build", status: "claimed", why: "start the build" },
    { agent: tester, task: "test", status: "claimed", why: "start the tests" },
    { agent: writer, task: "docs", status: "completed", why: "write the release notes" },
  ] as const;
  const results = await Promise.all(
    edits.map(({ agent, task, status, why }) => {
      const state = structuredClone(base.state);
      state.tasks[task].status = status;
      return agent.client.commit(id, { state, baseVersion: base.version, changeDescription: why });
    }),
  );
  for (const [index, result] of results.entries()) {
    print(commitLine(edits[index]?.agent.name, result));
  }

  step("builder and tester disagree about the build, both from the same version");
  const head = await mustRead(planner.client, id);
  const verdicts: Array<[Agent, "completed" | "failed"]> = [
    [builder, "completed"],
    [tester, "failed"],
  ];
  const outcomes = await Promise.allSettled(
    verdicts.map(([agent, status]) => {
      const state = structuredClone(head.state);
      state.tasks.build.status = status;
      const changeDescription = `mark the build ${status}`;
      return agent.client.commit(id, { state, baseVersion: head.version, changeDescription });
    }),
  );
  let conflictId: string | undefined;
  for (const [index, outcome] of outcomes.entries()) {
    const name = verdicts[index]?.[0].name;
    if (outcome.status === "fulfilled") {
      print(commitLine(name, outcome.value));
      continue;
    }
    if (!(outcome.reason instanceof ConflictError)) throw outcome.reason;
    conflictId = outcome.reason.conflictId;
    const paths = describeConflicts(outcome.reason.conflicts);
    print(`  ${pad(name)} 409 conflict ${conflictId}: ${paths}; nothing committed`);
  }

  step("lead looks at the open conflicts and settles it: the failing tests win");
  const open: QueuedConflict[] = await lead.client.listConflicts(id, { status: "open" });
  print(
    `  open conflicts: ${open.map((c) => `${c.id} at ${c.conflicts.map((x) => x.path).join(", ")}`).join("; ")}`,
  );
  if (conflictId !== undefined) {
    const resolved = await lead.client.resolveConflict(id, conflictId, {
      values: { "/tasks/build/status": "failed" },
    });
    print(commitLine(lead.name, resolved));
  }

  step("lead snapshots the state, an agent wipes the tasks by mistake, lead restores");
  const snapshot = await lead.client.createSnapshot(id, {
    description: "before retrying the build",
  });
  print(`  snapshot ${snapshot.id} of version ${snapshot.version}`);
  const wipe: JsonPatch = [{ op: "replace", path: "/tasks", value: {} }];
  const wiped = await builder.client.patch(id, wipe, { changeDescription: "clean up (oops)" });
  print(commitLine(builder.name, wiped));
  const restored = await lead.client.restore(id, snapshot.id);
  print(commitLine(lead.name, restored));
  const final = await mustRead(lead.client, id);
  print(
    `  tasks after the restore: ${Object.values(final.state.tasks)
      .map((t) => `${t.id}=${t.status}`)
      .join(", ")}`,
  );

  step("history (newest first)");
  const history = await lead.client.history(id, { limit: 20 });
  // The same lines as `chorus history` prints on a terminal.
  for (const line of formatHistory(history.versions)) print(`  ${line}`);

  step(`diff from version 1 to version ${final.version}`);
  const diff = await lead.client.diff(id, 1, final.version);
  for (const line of formatPatch(diff.patch)) print(`  ${line}`);

  step("builder and tester follow each other live, each with a LiveState replica");
  await followLive(id, [builder, tester], print);

  step("the Pattern Bridge completes the workflow when every task is (an example rule)");
  await completeByRule({ ...options, workflowId: id, client: lead.client, name: lead.name });

  const integrity = await lead.client.integrity(id);
  print(`\nintegrity: ${integrity.ok ? "ok" : "PROBLEMS"}, ${integrity.checked} versions checked`);
  const done = await lead.client.updateWorkflow(id, { status: "completed" });
  print(`workflow status: ${done.status}`);
  await agents.dismiss();
  print(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; workflow ${id}`);
  return id;
}

function mustRead(client: ChorusClient, id: string) {
  return client.getState<ReleaseState>(id);
}

function commitLine(name: string | undefined, result: CommitResult): string {
  return `  ${pad(name)} → ${describeCommit(result)}`;
}

const pad = (text: string | undefined) => (text ?? "").padEnd(10);
