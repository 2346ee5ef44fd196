import { exports } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, sampleState, service } from "./helpers.ts";
import { commitTo, openStream, verifyChain } from "./streams.ts";

function commitCounter(workflowId: string, value: number, branch = "main") {
  return commitTo(workflowId, "/metadata/counter", value, branch);
}

describe("change streams", () => {
  it("pushes every commit to a live subscriber, in order, each checksum verifiable", async () => {
    const workflowId = await createWorkflow();
    const stream = await openStream(workflowId);
    await stream.until(() => stream.controls.length > 0, "open");
    expect(stream.controls[0]).toEqual({ type: "open", cursor: 1 });
    for (let i = 1; i <= 5; i++) await commitCounter(workflowId, i);
    await stream.untilVersion(6);
    expect(stream.events.map((event) => event.version)).toEqual([2, 3, 4, 5, 6]);
    const states = new Map([[1, sampleState() as never]]);
    await verifyChain(stream.events, states);
    expect(stream.events[0]).toMatchObject({
      workflowId,
      branch: "main",
      parents: [1],
      author: "agent",
      patch: [{ op: "replace", path: "/metadata/counter", value: 1 }],
      changes: [{ type: "metadata-update", path: "/metadata/counter", oldValue: 0, newValue: 1 }],
    });
    stream.close();
  });

  it("sends one branch's versions, merges included, each from its first parent", async () => {
    const workflowId = await createWorkflow();
    const all = await openStream(workflowId, { since: 0 });
    const feature = await openStream(workflowId, { branch: "feature", since: 0 }).catch(
      (error: Error) => error.message,
    );
    expect(feature).toContain("NOT_FOUND");
    unwrap(await service.createBranch({ workflowId, name: "feature", author: "a" }));
    const onFeature = await openStream(workflowId, { branch: "feature", since: 0 });
    await commitCounter(workflowId, 1); // 2 on main
    await commitTo(workflowId, "/tasks/t1/status", "claimed", "feature"); // 3
    await commitCounter(workflowId, 3); // 4 on main
    unwrap(await service.mergeBranch({ workflowId, source: "feature", into: "main", author: "a" })); // 5
    await commitTo(workflowId, "/tasks/t2/status", "claimed", "feature"); // 6
    await onFeature.untilVersion(6);
    await all.untilVersion(6);
    expect(onFeature.events.map((event) => [event.version, event.parents])).toEqual([
      [3, [1]],
      [6, [3]],
    ]);
    const merge = all.events.find((event) => event.version === 5);
    expect(merge).toMatchObject({ branch: "main", parents: [4, 3] });
    await verifyChain(all.events, new Map());
    all.close();
    onFeature.close();
  });

  it("sends only the changes a filter asks for, and nothing for a version without any", async () => {
    const workflowId = await createWorkflow();
    const statuses = await openStream(workflowId, { paths: ["/tasks/*/status"] });
    const workflowStatus = await openStream(workflowId, { types: ["workflow-status"] });
    const commit = async (patch: unknown[]) =>
      unwrap(await service.commit({ workflowId, patch, author: "a" })).version.version;
    await commit([{ op: "replace", path: "/metadata/counter", value: 1 }]); // 2: neither
    await commit([
      { op: "replace", path: "/tasks/t1/status", value: "claimed" },
      { op: "replace", path: "/metadata/counter", value: 2 },
    ]); // 3: statuses
    await commit([{ op: "add", path: "/tasks/t3", value: { id: "t3", status: "pending" } }]); // 4
    await commit([{ op: "replace", path: "/status", value: "paused" }]); // 5: workflowStatus
    await statuses.untilVersion(4);
    await workflowStatus.untilVersion(5);
    expect(statuses.events.map((event) => [event.version, event.patch])).toEqual([
      [3, [{ op: "replace", path: "/tasks/t1/status", value: "claimed" }]],
      [4, [{ op: "add", path: "/tasks/t3", value: { id: "t3", status: "pending" } }]],
    ]);
    expect(statuses.events[0]?.changes.map((change) => change.path)).toEqual(["/tasks/t1/status"]);
    expect(workflowStatus.events.map((event) => event.version)).toEqual([5]);
    expect(workflowStatus.events[0]?.changes).toMatchObject([
      { type: "workflow-status", oldValue: "running", newValue: "paused" },
    ]);
    statuses.close();
    workflowStatus.close();
  });

  it("refuses a since past the head, an unknown branch and workflow, and a plain request", async () => {
    const workflowId = await createWorkflow();
    const refused = (subscription: Record<string, unknown>, headers = {}) =>
      exports.StateService.fetch(
        new Request("https://state-manager/subscribe", {
          headers: {
            upgrade: "websocket",
            "x-chorus-subscription": JSON.stringify(subscription),
            ...headers,
          },
        }),
      ).then(async (response) => ({ status: response.status, body: await response.json() }));
    expect(await refused({ workflowId, since: 2 })).toMatchObject({
      status: 400,
      body: { ok: false, error: { code: "NOT_FOUND", path: "/since", details: { head: 1 } } },
    });
    expect(await refused({ workflowId, branch: "nope" })).toMatchObject({
      body: { error: { code: "NOT_FOUND", path: "/branch" } },
    });
    expect(await refused({ workflowId: "never-created" })).toMatchObject({
      body: { error: { code: "NOT_FOUND" } },
    });
    expect(await refused({ workflowId, since: -1 })).toMatchObject({
      body: { error: { code: "VALIDATION_FAILED", path: "/since" } },
    });
    expect(await refused({ workflowId }, { upgrade: "h2c" })).toMatchObject({
      body: { error: { code: "VALIDATION_FAILED", path: "/upgrade" } },
    });
  });
});
