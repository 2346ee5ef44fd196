import { env } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../src/cursor.ts";
import { expectError, register, sampleRecord, service } from "./helpers.ts";

const NOT_OBJECTS = [
  ["undefined", undefined],
  ["null", null],
  ["a string", "wf-1"],
  ["a number", 7],
  ["an array", []],
] as const;

function base64url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Every call below is bad: each answers VALIDATION_FAILED at the path named, and writes nothing. */
describe("bad input", () => {
  describe.each(["registerWorkflow", "getWorkflow", "updateWorkflow", "listWorkflows"] as const)(
    "%s",
    (method) => {
      it.each(NOT_OBJECTS)("refuses %s as its argument", async (_, input) => {
        const call = service[method] as (input: unknown) => ReturnType<typeof service.getWorkflow>;
        const error = expectError(await call(input), "VALIDATION_FAILED");
        expect(error.path).toBe("");
      });
    },
  );

  it.each([
    ["no record", { record: undefined }, "/record"],
    ["no id", { id: undefined }, "/record/id"],
    ["an empty id", { id: "" }, "/record/id"],
    ["an id over 256 characters", { id: "x".repeat(257) }, "/record/id"],
    ["no name", { name: undefined }, "/record/name"],
    ["a blank name", { name: "  " }, "/record/name"],
    ["an unknown status", { status: "done" }, "/record/status"],
    ["an unknown priority", { priority: "urgent" }, "/record/priority"],
    ["no tags", { tags: undefined }, "/record/tags"],
    ["tags as a string", { tags: "a,b" }, "/record/tags"],
    ["an empty tag", { tags: ["ok", ""] }, "/record/tags/1"],
    ["51 tags", { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, "/record/tags"],
    ["a negative createdAt", { createdAt: -1 }, "/record/createdAt"],
    ["a string createdAt", { createdAt: "1764000000000" }, "/record/createdAt"],
    ["an infinite createdAt", { createdAt: Number.POSITIVE_INFINITY }, "/record/createdAt"],
    ["updatedAt before createdAt", { createdAt: 10, updatedAt: 9 }, "/record/updatedAt"],
    ["no createdBy", { createdBy: undefined }, "/record/createdBy"],
    ["an unknown member", { state: {} }, "/record/state"],
  ])("registerWorkflow refuses %s", async (_, overrides, path) => {
    const record = sampleRecord();
    const input = "record" in overrides ? overrides : { record: { ...record, ...overrides } };
    const error = expectError(await service.registerWorkflow(input as never), "VALIDATION_FAILED");
    expect(error.path).toBe(path);
    expectError(await service.getWorkflow({ workflowId: record.id }), "NOT_FOUND");
  });

  it.each([
    ["no workflowId", {}, "/workflowId"],
    ["an empty workflowId", { workflowId: "" }, "/workflowId"],
    ["a numeric workflowId", { workflowId: 7 }, "/workflowId"],
  ])("getWorkflow refuses %s", async (_, input, path) => {
    const error = expectError(await service.getWorkflow(input as never), "VALIDATION_FAILED");
    expect(error.path).toBe(path);
  });

  it.each([
    ["no workflowId", { workflowId: undefined }, "/workflowId"],
    ["no update", { update: undefined }, "/update"],
    ["an empty update", { update: {} }, "/update"],
    ["an update of createdBy", { update: { createdBy: "mallory" } }, "/update/createdBy"],
    ["an unknown status", { update: { status: "stopped" } }, "/update/status"],
    ["an empty name", { update: { name: "" } }, "/update/name"],
    ["tags as a string", { update: { tags: "x" } }, "/update/tags"],
    ["no actor", { actor: undefined }, "/actor"],
    ["an empty actor", { actor: "" }, "/actor"],
  ])("updateWorkflow refuses %s", async (_, overrides, path) => {
    const record = await register();
    const input = { workflowId: record.id, update: { name: "x" }, actor: "bob", ...overrides };
    const error = expectError(await service.updateWorkflow(input as never), "VALIDATION_FAILED");
    expect(error.path).toBe(path);
    expect(unwrap(await service.getWorkflow({ workflowId: record.id }))).toEqual(record);
  });

  it.each([
    ["a negative limit", { limit: -1 }, "/limit"],
    ["a zero limit", { limit: 0 }, "/limit"],
    ["a fractional limit", { limit: 1.5 }, "/limit"],
    ["a huge limit", { limit: 1e308 }, "/limit"],
    ["a limit over 100", { limit: 101 }, "/limit"],
    ["a string limit", { limit: "5" }, "/limit"],
    ["a NaN limit", { limit: Number.NaN }, "/limit"],
    ["an unknown status", { status: "done" }, "/status"],
    ["an empty tag", { tag: "" }, "/tag"],
    ["a numeric cursor", { cursor: 5 }, "/cursor"],
    ["a cursor with non-base64url characters", { cursor: "a+b/c=" }, "/cursor"],
    ["a cursor that is not JSON", { cursor: base64url("hello") }, "/cursor"],
    ["a cursor of the wrong shape", { cursor: base64url('{"createdAt":1,"id":"a"}') }, "/cursor"],
    ["a cursor with a negative time", { cursor: base64url('[-1,"a"]') }, "/cursor"],
    ["a cursor with an empty id", { cursor: base64url('[1,""]') }, "/cursor"],
    ["a cursor with extra members", { cursor: base64url('[1,"a",2]') }, "/cursor"],
    ["a cursor that is not UTF-8", { cursor: base64url('[1,"\xff"]') }, "/cursor"],
    ["an empty cursor", { cursor: "" }, "/cursor"],
    ["an overlong cursor", { cursor: "A".repeat(2049) }, "/cursor"],
  ])("listWorkflows refuses %s", async (_, input, path) => {
    const error = expectError(await service.listWorkflows(input as never), "VALIDATION_FAILED");
    expect(error.path).toBe(path);
  });

  it("accepts a cursor it made", async () => {
    const cursor = encodeCursor({ createdAt: 1, id: "wf-\u{1F600}" });
    expect(unwrap(await service.listWorkflows({ cursor }))).toEqual({
      workflows: [],
      nextCursor: null,
    });
  });

  it("has every shard validate its own input too", async () => {
    const shard = env.REGISTRY.get(env.REGISTRY.idFromName("registry-0"));
    const error = expectError(await shard.listPage({ limit: 102 }), "VALIDATION_FAILED");
    expect(error.path).toBe("/limit");
    expectError(await shard.getWorkflow({ workflowId: 1 } as never), "VALIDATION_FAILED");
  });
});
