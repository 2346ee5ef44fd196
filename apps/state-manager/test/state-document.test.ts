import { canonicalize, sha256Hex, spliceJson, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { STREAM_FROM } from "../src/state-document.ts";
import { createWorkflow, expectError, service, withTasks } from "./helpers.ts";

type Document = string | ReadableStream<Uint8Array>;

async function textOf(document: Document): Promise<string> {
  return typeof document === "string" ? document : new Response(document).text();
}

function documentOf(read: { document: Document } | { notModified: true }): Document {
  if (!("document" in read)) throw new Error("the read answered notModified");
  return read.document;
}

/** The document as the gateway built it before reads answered one: its reference. */
async function expected(workflowId: string, input: { version?: number; path?: string } = {}) {
  const read = unwrap(await service.getStateText({ workflowId, ...input }));
  if (!("json" in read)) throw new Error("the read answered notModified");
  return spliceJson({ ...read.version, path: read.path }, "state", read.json);
}

describe("getStateDocument", () => {
  it("answers a small state's read as one string: the version, the path and the state", async () => {
    const workflowId = await createWorkflow(withTasks(5));
    const document = documentOf(unwrap(await service.getStateDocument({ workflowId })));
    expect(typeof document).toBe("string");
    expect(await textOf(document)).toBe(await expected(workflowId));
  });

  it("streams a large state's read, byte for byte the same document", async () => {
    const state = withTasks(400);
    expect(canonicalize(state).length).toBeGreaterThan(STREAM_FROM);
    const workflowId = await createWorkflow(state);
    const committed = unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/tasks/t3/status", value: "running" }],
        author: "a",
        changeDescription: "t3 → running",
        baseVersion: 1,
      }),
    );
    const document = documentOf(unwrap(await service.getStateDocument({ workflowId })));
    expect(document).toBeInstanceOf(ReadableStream);
    const text = await textOf(document);
    expect(text).toBe(await expected(workflowId));
    // Metadata in ASCII (`\u` escapes), and the state spliced in as its checksum's text.
    expect(text).toMatch(/^[ -~]*$/);
    const parsed = JSON.parse(text) as { changeDescription: string; state: unknown };
    expect(parsed.changeDescription).toBe("t3 → running");
    expect(await sha256Hex(canonicalize(parsed.state as never))).toBe(committed.version.checksum);
  });

  it("answers an old version and a path, each as its own document", async () => {
    const workflowId = await createWorkflow(withTasks(400));
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "remove", path: "/tasks/t1" }],
        author: "a",
        baseVersion: 1,
      }),
    );
    const old = documentOf(unwrap(await service.getStateDocument({ workflowId, version: 1 })));
    expect(await textOf(old)).toBe(await expected(workflowId, { version: 1 }));
    const task = unwrap(await service.getStateDocument({ workflowId, path: "/tasks/t2" }));
    expect(task.path).toBe("/tasks/t2");
    expect(typeof documentOf(task)).toBe("string");
    expect(JSON.parse(await textOf(documentOf(task)))).toMatchObject({
      path: "/tasks/t2",
      state: { id: "t2", status: "pending" },
    });
  });

  it("answers notModified without a document when the caller holds the version", async () => {
    const workflowId = await createWorkflow(withTasks(400));
    const head = unwrap(await service.getStateDocument({ workflowId, ifNoneMatch: ["*"] }));
    expect(head).toMatchObject({ version: { version: 1 }, notModified: true });
    expect("document" in head).toBe(false);
  });

  it("is NOT_FOUND for an unknown version or path, whatever the caller holds", async () => {
    const workflowId = await createWorkflow();
    const version = expectError(
      await service.getStateDocument({ workflowId, version: 9 }),
      "NOT_FOUND",
    );
    expect(version.path).toBe("/version");
    const path = expectError(
      await service.getStateDocument({ workflowId, path: "/nope", ifNoneMatch: ["*"] }),
      "NOT_FOUND",
    );
    expect(path.path).toBe("/path");
  });
});
