import { type Task, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { expectError, service } from "./helpers.ts";
import { addTask, allVersions, boardWorkflow, feed, headVersion } from "./task-helpers.ts";

describe("creating tasks", () => {
  it("creates a ready task with the defaults, committed before it answers", async () => {
    const workflowId = await boardWorkflow();
    const { task, version, replayed } = await addTask(workflowId, { id: "t1", type: "build" });
    expect(replayed).toBeUndefined();
    expect(task).toMatchObject({
      id: "t1",
      type: "build",
      status: "ready",
      priority: "normal",
      requiredCapabilities: [],
      dependsOn: [],
      attempt: 0,
      maxAttempts: 3,
      leaseMs: 30_000,
    });
    expect(version).toMatchObject({ version: 2, author: "tester" });
    expect(unwrap(await service.getTask({ workflowId, taskId: "t1" }))).toEqual(task);
    const state = unwrap(await service.getState({ workflowId, path: "/tasks/t1" }));
    expect(state.state).toEqual(task);
  });

  it("answers the same body again with the first creation, replayed, and another with ALREADY_EXISTS", async () => {
    const workflowId = await boardWorkflow();
    const first = await addTask(workflowId, { id: "t1", priority: "high" });
    const again = await addTask(workflowId, { id: "t1", priority: "high", maxAttempts: 3 });
    expect(again).toEqual({ task: first.task, version: first.version, replayed: true });
    const error = expectError(
      await service.createTask({ workflowId, author: "tester", id: "t1", type: "other" }),
      "ALREADY_EXISTS",
    );
    expect(error.path).toBe("/id");
    expect(await headVersion(workflowId)).toBe(2);
  });

  it("refuses bad input with its path and changes nothing", async () => {
    const workflowId = await boardWorkflow();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: "x", maxAttempts: 0 }, "/maxAttempts"],
      [{ type: "x", leaseMs: 999 }, "/leaseMs"],
      [{ type: "x", priority: "urgent" }, "/priority"],
      [{ type: "" }, "/type"],
      [{ type: "x", colour: "red" }, "/colour"],
      [{ type: "x", dependsOn: ["missing"] }, "/dependsOn"],
      [{ id: "me", type: "x", dependsOn: ["me"] }, "/dependsOn"],
    ];
    for (const [body, path] of cases) {
      const error = expectError(
        await service.createTask({ workflowId, author: "tester", ...body } as never),
        "VALIDATION_FAILED",
      );
      expect(error.path, JSON.stringify(body)).toBe(path);
    }
    expect(await headVersion(workflowId)).toBe(1);
  });

  it("refuses a dependency cycle through tasks written by hand", async () => {
    const workflowId = await boardWorkflow();
    unwrap(
      await service.commit({
        workflowId,
        author: "tester",
        patch: [
          {
            op: "add",
            path: "/tasks/x",
            value: { id: "x", status: "pending", dependsOn: ["new"] },
          },
        ],
      }),
    );
    const error = expectError(
      await service.createTask({
        workflowId,
        author: "tester",
        id: "new",
        type: "x",
        dependsOn: ["x"],
      }),
      "VALIDATION_FAILED",
    );
    expect([error.path, error.details]).toEqual(["/dependsOn", { cycle: ["new", "x", "new"] }]);
    expect(await headVersion(workflowId)).toBe(2);
  });
});

describe("listing tasks", () => {
  it("filters by status and by required capability", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "a", requiredCapabilities: ["ts"] });
    await addTask(workflowId, { id: "b", requiredCapabilities: ["go"] });
    await addTask(workflowId, { id: "c", dependsOn: ["a"] });
    const ids = async (filter: Record<string, string>) =>
      unwrap(await service.listTasks({ workflowId, ...filter })).tasks.map((task) => task.id);
    expect(await ids({})).toEqual(["a", "b", "c"]);
    expect(await ids({ status: "pending" })).toEqual(["c"]);
    expect(await ids({ capability: "ts" })).toEqual(["a"]);
    expectError(
      await service.listTasks({ workflowId, status: "done" as never }),
      "VALIDATION_FAILED",
    );
  });
});

describe("claiming and completing", () => {
  it("lets 20 agents complete 200 tasks concurrently, each held by one lease and completed once", async () => {
    const workflowId = await boardWorkflow();
    const capabilities = ["ts", "go", "py", "rs"];
    // Created concurrently: the object's write queue commits them in groups.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        addTask(workflowId, {
          id: `t${i}`,
          requiredCapabilities: [capabilities[i % 4] ?? "ts"],
          priority: i % 10 === 0 ? "high" : "normal",
          leaseMs: 60_000,
        }),
      ),
    );
    const leases = new Map<string, string[]>();
    const completedBy = new Map<string, string>();
    const agent = async (n: number) => {
      const id = `a${n}`;
      // Every agent can do two kinds of work, so they contend for each task.
      const offered = [capabilities[n % 4] ?? "ts", capabilities[(n + 1) % 4] ?? "ts"];
      for (;;) {
        const { claims } = unwrap(
          await service.claimTasks({ workflowId, agent: { id, capabilities: offered }, max: 2 }),
        );
        if (claims.length === 0) return;
        for (const { task, lease } of claims) {
          expect(task.requiredCapabilities?.every((c) => offered.includes(c))).toBe(true);
          leases.set(task.id, [...(leases.get(task.id) ?? []), lease.id]);
          const done = unwrap(
            await service.completeTask({
              workflowId,
              taskId: task.id,
              leaseId: lease.id,
              result: { by: id },
            }),
          );
          expect(done.replayed).toBeUndefined();
          expect(completedBy.has(task.id)).toBe(false);
          completedBy.set(task.id, id);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, n) => agent(n)));

    expect(completedBy.size).toBe(200);
    for (const ids of leases.values()) expect(ids).toHaveLength(1);
    const { tasks } = unwrap(await service.listTasks({ workflowId }));
    expect(tasks.every((task) => task.status === "completed" && task.attempt === 1)).toBe(true);
    for (const task of tasks) expect(task.result).toEqual({ by: completedBy.get(task.id) });

    // The history shows every transition: each task went ready → claimed → completed once.
    const statuses = new Map<string, string[]>();
    for (const entry of await feed(workflowId)) {
      for (const change of entry.changes) {
        const [, , id, member] = change.path.split("/");
        if (id === undefined) continue;
        if (member === "status")
          statuses.set(id, [...(statuses.get(id) ?? []), String(change.newValue)]);
        if (member === undefined) {
          statuses.set(id, [(change.newValue as Task).status]);
        }
      }
    }
    for (let i = 0; i < 200; i++)
      expect(statuses.get(`t${i}`)).toEqual(["ready", "claimed", "completed"]);
    const versions = await allVersions(workflowId);
    const completions = versions.filter((v) => v.changeDescription.startsWith("Complete task"));
    expect(completions).toHaveLength(200);
    for (const version of completions) expect(version.author).toMatch(/^agent:a\d+$/);
    // About 600 commits: allow for CI's two shared cores.
  }, 120_000);

  it("takes the highest priority first, and only tasks the agent can do", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "low", priority: "low" });
    await addTask(workflowId, { id: "crit", priority: "critical" });
    await addTask(workflowId, { id: "gpu", priority: "critical", requiredCapabilities: ["gpu"] });
    await addTask(workflowId, { id: "norm" });
    const { claims } = unwrap(
      await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: ["ts"] }, max: 2 }),
    );
    expect(claims.map((claim) => claim.task.id)).toEqual(["crit", "norm"]);
    expect(claims[0]?.lease).toMatchObject({ attempt: 1 });
  });

  it("claims exactly the task named by taskId, or nothing when it is not claimable", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "crit", priority: "critical" });
    await addTask(workflowId, { id: "low", priority: "low" });
    await addTask(workflowId, { id: "gpu", requiredCapabilities: ["gpu"] });
    await addTask(workflowId, { id: "later", dependsOn: ["crit"] });
    const agent = { id: "a1", capabilities: ["ts"] };
    const { claims } = unwrap(
      await service.claimTasks({ workflowId, agent, max: 5, taskId: "low" }),
    );
    expect(claims.map((claim) => [claim.task.id, claim.task.assignee])).toEqual([["low", "a1"]]);
    const head = await headVersion(workflowId);
    for (const taskId of ["low", "gpu", "later"]) {
      const none = unwrap(await service.claimTasks({ workflowId, agent, max: 5, taskId }));
      expect(none.claims, taskId).toEqual([]);
    }
    const missing = expectError(
      await service.claimTasks({ workflowId, agent, taskId: "nope" }),
      "NOT_FOUND",
    );
    expect(missing.path).toBe("/taskId");
    expect(await headVersion(workflowId)).toBe(head);
    expect(unwrap(await service.getTask({ workflowId, taskId: "crit" })).status).toBe("ready");
  });

  it("refuses an agent another agent's current lease, and commits nothing", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    const [claim] = unwrap(
      await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: [] } }),
    ).claims;
    const leaseId = claim?.lease.id ?? "";
    const head = await headVersion(workflowId);
    const as = { workflowId, taskId: "t1", leaseId, agentId: "a2" };
    for (const refused of [
      await service.heartbeatLease(as),
      await service.failTask({ ...as, error: "no" }),
      await service.completeTask(as),
    ]) {
      expect(expectError(refused, "FORBIDDEN").path).toBe("/leaseId");
    }
    expect(await headVersion(workflowId)).toBe(head);
    const stale = { ...as, leaseId: "not-the-lease" };
    expectError(await service.completeTask(stale), "LEASE_EXPIRED");
    const done = unwrap(await service.completeTask({ ...as, agentId: "a1" }));
    expect(done.task.status).toBe("completed");
  });

  it("answers a lost acknowledgement's retry with the first completion and commits nothing", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    const [claim] = unwrap(
      await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: [] } }),
    ).claims;
    const leaseId = claim?.lease.id ?? "";
    const first = unwrap(
      await service.completeTask({ workflowId, taskId: "t1", leaseId, result: { n: 1 } }),
    );
    const head = await headVersion(workflowId);
    const again = unwrap(
      await service.completeTask({ workflowId, taskId: "t1", leaseId, result: { n: 2 } }),
    );
    expect(again).toEqual({ ...first, replayed: true });
    expect(again.task.result).toEqual({ n: 1 });
    expect(await headVersion(workflowId)).toBe(head);
  });

  it("refuses complete, fail and heartbeat with another lease, naming the attempt", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    unwrap(await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: [] } }));
    const head = await headVersion(workflowId);
    for (const result of [
      await service.completeTask({ workflowId, taskId: "t1", leaseId: "stale" }),
      await service.failTask({ workflowId, taskId: "t1", leaseId: "stale", error: "x" }),
      await service.heartbeatLease({ workflowId, taskId: "t1", leaseId: "stale" }),
    ]) {
      const error = expectError(result, "LEASE_EXPIRED");
      expect([error.path, error.details]).toEqual([
        "/leaseId",
        { taskId: "t1", attempt: 1, status: "claimed" },
      ]);
    }
    expect(await headVersion(workflowId)).toBe(head);
  });

  it("extends a lease on heartbeat", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1", leaseMs: 1000 });
    const [claim] = unwrap(
      await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: [] } }),
    ).claims;
    const { task } = unwrap(
      await service.heartbeatLease({
        workflowId,
        taskId: "t1",
        leaseId: claim?.lease.id ?? "",
        leaseMs: 60_000,
      }),
    );
    expect(task.lease?.expiresAt).toBeGreaterThan((claim?.lease.expiresAt ?? 0) + 50_000);
  });

  it("refuses bad lease input with its path and changes nothing", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "t1" });
    const cases: Array<[Promise<{ ok: boolean }>, string, string]> = [
      [
        service.claimTasks({ workflowId, agent: { id: "a1" }, max: 0 }),
        "VALIDATION_FAILED",
        "/max",
      ],
      [
        service.claimTasks({ workflowId, agent: { id: "a1" }, leaseMs: 10 }),
        "VALIDATION_FAILED",
        "/leaseMs",
      ],
      [service.claimTasks({ workflowId, agent: {} } as never), "VALIDATION_FAILED", "/agent/id"],
      [
        service.completeTask({ workflowId, taskId: "t1" } as never),
        "VALIDATION_FAILED",
        "/leaseId",
      ],
      [
        service.failTask({ workflowId, taskId: "t1", leaseId: "l", error: null }),
        "VALIDATION_FAILED",
        "/error",
      ],
      [service.completeTask({ workflowId, taskId: "nope", leaseId: "l" }), "NOT_FOUND", "/taskId"],
      [service.retryTask({ workflowId, taskId: "t1", author: "ops" }), "CONFLICT", "/taskId"],
    ];
    for (const [call, code, path] of cases) {
      const error = expectError((await call) as never, code);
      expect(error.path).toBe(path);
    }
    expect(await headVersion(workflowId)).toBe(2);
  });
});

describe("dependencies", () => {
  it("releases dependents in order, in the commit that completes what they wait on", async () => {
    const workflowId = await boardWorkflow();
    await addTask(workflowId, { id: "a" });
    await addTask(workflowId, { id: "b", dependsOn: ["a"] });
    await addTask(workflowId, { id: "c", dependsOn: ["a", "b"] });
    const order: string[] = [];
    for (;;) {
      const { claims } = unwrap(
        await service.claimTasks({ workflowId, agent: { id: "a1", capabilities: [] }, max: 5 }),
      );
      if (claims.length === 0) break;
      expect(claims).toHaveLength(1);
      for (const { task, lease } of claims) {
        order.push(task.id);
        const done = unwrap(
          await service.completeTask({ workflowId, taskId: task.id, leaseId: lease.id }),
        );
        const next = unwrap(await service.listTasks({ workflowId, status: "ready" })).tasks;
        // What became ready did so in the completion's own version.
        const changes = unwrap(
          await service.changesSince({ workflowId, version: done.version.version - 1 }),
        ).entries[0]?.changes;
        for (const ready of next) {
          expect(
            changes?.some((c) => c.path === `/tasks/${ready.id}/status` && c.newValue === "ready"),
          ).toBe(true);
        }
      }
    }
    expect(order).toEqual(["a", "b", "c"]);
  });
});
