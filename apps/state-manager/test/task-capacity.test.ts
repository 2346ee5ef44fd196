import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { expectError, service } from "./helpers.ts";
import { addTask, boardWorkflow, headVersion } from "./task-helpers.ts";

/** An agent whose capacity the board counts: it works on this workflow only. */
const counted = (id: string, maxConcurrency: number) => ({ id, capabilities: [], maxConcurrency });

describe("an agent's capacity counted by the board", () => {
  it("grants at most maxConcurrency less the agent's live leases, and frees a slot on completion", async () => {
    const workflowId = await boardWorkflow();
    for (const id of ["t1", "t2", "t3", "t4"]) await addTask(workflowId, { id });
    const agent = counted("a1", 2);
    const first = unwrap(await service.claimTasks({ workflowId, agent, max: 5 })).claims;
    expect(first.map((claim) => claim.task.id)).toEqual(["t1", "t2"]);
    const head = await headVersion(workflowId);
    expect(unwrap(await service.claimTasks({ workflowId, agent, max: 5 })).claims).toEqual([]);
    expect(await headVersion(workflowId), "a claim with no room commits nothing").toBe(head);
    // Another agent's leases are its own.
    const other = unwrap(await service.claimTasks({ workflowId, agent: counted("a2", 1) }));
    expect(other.claims.map((claim) => claim.task.id)).toEqual(["t3"]);
    const done = first[0];
    if (done === undefined) throw new Error("no first claim");
    unwrap(
      await service.completeTask({
        workflowId,
        taskId: done.task.id,
        leaseId: done.lease.id,
        agentId: "a1",
      }),
    );
    const next = unwrap(await service.claimTasks({ workflowId, agent, max: 5 })).claims;
    expect(next.map((claim) => claim.task.id)).toEqual(["t4"]);
  });

  it("never grants beyond maxConcurrency to claims that arrive at once", async () => {
    const workflowId = await boardWorkflow();
    for (let i = 0; i < 12; i++) await addTask(workflowId, { id: `t${i}` });
    const agent = counted("a1", 3);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => service.claimTasks({ workflowId, agent, max: 2 })),
    );
    const granted = answers.flatMap((answer) => unwrap(answer).claims);
    expect(granted).toHaveLength(3);
    expect(new Set(granted.map((claim) => claim.task.id)).size).toBe(3);
  });

  it("refuses a maxConcurrency out of bounds at its path and commits nothing", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    const head = await headVersion(workflowId);
    for (const maxConcurrency of [0, 101, 1.5, "2"]) {
      const refused = expectError(
        await service.claimTasks({
          workflowId,
          agent: { id: "a1", maxConcurrency: maxConcurrency as number },
        }),
        "VALIDATION_FAILED",
      );
      expect(refused.path, String(maxConcurrency)).toBe("/agent/maxConcurrency");
    }
    expect(await headVersion(workflowId)).toBe(head);
  });
});
