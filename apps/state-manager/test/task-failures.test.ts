import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { expectError, service, stubOf } from "./helpers.ts";
import { addTask, allVersions, boardWorkflow } from "./task-helpers.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("failures, expiries and dead letters", () => {
  it("dead-letters after maxAttempts, and a retry gives a fresh budget while attempt keeps counting", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1", maxAttempts: 1 });
    const claim = async () =>
      unwrap(await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: [] } }))
        .claims[0];
    const first = await claim();
    const dead = unwrap(
      await service.failTask({
        workflowId,
        taskId: "t1",
        leaseId: first?.lease.id ?? "",
        error: "boom",
      }),
    );
    expect(dead.task).toMatchObject({ status: "dead", attempt: 1, error: "boom" });
    expect(await claim()).toBeUndefined();
    expect(
      unwrap(await service.retryTask({ workflowId, taskId: "t1", author: "ops" })).task.status,
    ).toBe("ready");
    const second = await claim();
    expect(second?.lease.attempt).toBe(2);
    expect(
      unwrap(
        await service.failTask({
          workflowId,
          taskId: "t1",
          leaseId: second?.lease.id ?? "",
          error: { message: "bad input", code: "E1" },
          retryable: false,
        }),
      ).task.status,
    ).toBe("dead");
  });

  it("requeues a failed task after its backoff", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    const [claim] = unwrap(await service.claimTasks({ workflowId, agent: { id: "a1" } })).claims;
    const { task } = unwrap(
      await service.failTask({
        workflowId,
        taskId: "t1",
        leaseId: claim?.lease.id ?? "",
        error: "flaky",
      }),
    );
    expect(task.status).toBe("failed");
    expect((task.retryAt ?? 0) - (task.updatedAt ?? 0)).toBe(1000);
    expect(unwrap(await service.claimTasks({ workflowId, agent: { id: "a2" } })).claims).toEqual(
      [],
    );
    await wait(1100);
    expect(await runDurableObjectAlarm(stubOf(workflowId))).toBe(true);
    expect(unwrap(await service.getTask({ workflowId, taskId: "t1" })).status).toBe("ready");
  });

  it("expires a lease nobody heartbeats on the alarm, and the task is reclaimed with attempt + 1", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1", leaseMs: 1000 });
    const [first] = unwrap(await service.claimTasks({ workflowId, agent: { id: "a1" } })).claims;
    const alarm = await runInDurableObject(stubOf(workflowId), (instance: StateManager) =>
      instance.storage.getAlarm(),
    );
    expect(alarm).toBe(first?.lease.expiresAt);

    await wait(1100);
    expect(await runDurableObjectAlarm(stubOf(workflowId))).toBe(true);
    const expired = unwrap(await service.getTask({ workflowId, taskId: "t1" }));
    expect(expired).toMatchObject({ attempt: 1, error: { code: "LEASE_EXPIRED" } });
    // Failed, and ready again once its 1 s backoff ends, which a loaded machine may reach
    // before this read: the expiry's own version is what must show.
    expect(["failed", "ready"]).toContain(expired.status);
    const versions = await allVersions(workflowId);
    const expiry = versions.find((version) =>
      version.changeDescription.includes("Expire the leases of: t1"),
    );
    expect(expiry).toMatchObject({ author: "coordinator" });

    await wait(1100);
    // A long lease this time: a loaded machine must not let it run out before the completion.
    const [second] = unwrap(
      await service.claimTasks({ workflowId, agent: { id: "a2" }, leaseMs: 60_000 }),
    ).claims;
    expect(second?.lease.attempt).toBe(2);
    const stale = expectError(
      await service.completeTask({ workflowId, taskId: "t1", leaseId: first?.lease.id ?? "" }),
      "LEASE_EXPIRED",
    );
    expect(stale.details).toMatchObject({ attempt: 2 });
    const done = unwrap(
      await service.completeTask({ workflowId, taskId: "t1", leaseId: second?.lease.id ?? "" }),
    );
    expect(done.task).toMatchObject({ status: "completed", attempt: 2, assignee: "a2" });
  });

  it("releases every lease of an agent gone offline as a failed attempt, by coordinator", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    await addTask(workflowId, { id: "t2" });
    await addTask(workflowId, { id: "t3" });
    unwrap(await service.claimTasks({ workflowId, agent: { id: "gone" }, max: 2 }));
    unwrap(await service.claimTasks({ workflowId, agent: { id: "alive" } }));
    const { tasks } = unwrap(await service.releaseAgentLeases({ workflowId, agentId: "gone" }));
    expect(tasks.map((task) => [task.id, task.status])).toEqual([
      ["t1", "failed"],
      ["t2", "failed"],
    ]);
    expect((await allVersions(workflowId)).at(-1)?.author).toBe("coordinator");
    expect(unwrap(await service.getTask({ workflowId, taskId: "t3" })).status).toBe("claimed");
    expect(unwrap(await service.releaseAgentLeases({ workflowId, agentId: "gone" })).tasks).toEqual(
      [],
    );
  });

  it("cancels a task, voiding its lease", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    const [claim] = unwrap(await service.claimTasks({ workflowId, agent: { id: "a1" } })).claims;
    const cancelled = unwrap(await service.cancelTask({ workflowId, taskId: "t1", author: "ops" }));
    expect(cancelled.task.status).toBe("cancelled");
    expect(cancelled.task.lease).toBeUndefined();
    expectError(
      await service.completeTask({ workflowId, taskId: "t1", leaseId: claim?.lease.id ?? "" }),
      "LEASE_EXPIRED",
    );
    const again = unwrap(await service.cancelTask({ workflowId, taskId: "t1", author: "ops" }));
    expect(again).toEqual({ ...cancelled, replayed: true });
  });
});
