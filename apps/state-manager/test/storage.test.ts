import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { canonicalize, checksum, type JsonValue, sha256Hex, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { migrate } from "../src/sql/schema.ts";
import type { StateManager } from "../src/state-manager.ts";
import { blobKey } from "../src/version-store.ts";
import { createWorkflow, expectError, sampleState, service, stubOf } from "./helpers.ts";

function withTasks(count: number) {
  return sampleState({
    tasks: Object.fromEntries(
      Array.from({ length: count }, (_, i) => [
        `t${i}`,
        { id: `t${i}`, status: "pending", title: `Review module ${i} for consistency` },
      ]),
    ),
  });
}

function randomHex(bytes: number): string {
  const out: string[] = [];
  for (let done = 0; done < bytes; done += 65_536) {
    const chunk = crypto.getRandomValues(new Uint8Array(Math.min(65_536, bytes - done)));
    out.push(Array.from(chunk, (byte) => byte.toString(16).padStart(2, "0")).join(""));
  }
  return out.join("");
}

describe("version storage", () => {
  it("stores keyframes as gzipped canonical text and counts the compressed bytes", async () => {
    const state = withTasks(200);
    const workflowId = await createWorkflow(state);
    const stored = await runInDurableObject(stubOf(workflowId), (instance: StateManager) =>
      instance.blobs.read(blobKey.state(1)),
    );
    expect(stored).toBeInstanceOf(Uint8Array);
    const { storedBytes } = unwrap(await service.metrics({ workflowId }));
    const stateBytes = new TextEncoder().encode(canonicalize(state)).length;
    expect(storedBytes).toBeLessThan(stateBytes / 5);
    await abortAllDurableObjects();
    expect(unwrap(await service.getState({ workflowId, version: 1 })).state).toEqual(state);
  });

  it("still reads keyframes stored as plain text", async () => {
    const workflowId = await createWorkflow();
    const state = sampleState({ metadata: { counter: 7 } });
    await runInDurableObject(stubOf(workflowId), (instance: StateManager) => {
      instance.blobs.put(blobKey.state(1), JSON.stringify(state));
    });
    await abortAllDurableObjects();
    expect(unwrap(await service.getState({ workflowId, version: 1 })).state).toEqual(state);
  });

  it("splits a gzipped keyframe larger than one SQLite value into chunks", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        // Every version a keyframe, so version 2 stores the whole state.
        settings: { keyframeInterval: 1, limits: { maxStateBytes: 8 * 1024 * 1024 } },
      }),
    );
    // Random hex gzips to about half its size: 2.4 MB of text is a 1.2 MB keyframe.
    const blob = randomHex(1_200_000);
    const big = sampleState({ data: { blob } });
    const committed = unwrap(
      await service.commit({ workflowId, state: big, author: "a", baseVersion: 1 }),
    );
    const rows = await runInDurableObject(stubOf(workflowId), (instance: StateManager) =>
      instance.storage.sql
        .exec("SELECT COUNT(*) AS n FROM blobs WHERE owner = ?", blobKey.state(2))
        .one(),
    );
    expect(Number(rows.n)).toBeGreaterThan(1);
    await abortAllDurableObjects();
    const read = unwrap(await service.getState({ workflowId, version: 2, path: "/data/blob" }));
    expect(read.state).toBe(blob);
    expect(committed.version.checksum).toBe(await checksum(big as JsonValue));
  });

  it("stores each version's origin, and takes one it does not know for damage", async () => {
    const workflowId = await createWorkflow();
    const edit = (value: string) => ({
      workflowId,
      patch: [{ op: "replace" as const, path: "/metadata/counter", value }],
      author: "a",
    });
    unwrap(await service.commit({ ...edit("ff"), baseVersion: 1 }));
    unwrap(await service.commit(edit("lww")));
    const stored = await runInDurableObject(stubOf(workflowId), (instance: StateManager) =>
      instance.storage.sql.exec("SELECT origin FROM versions ORDER BY version").toArray(),
    );
    expect(stored.map((row) => row.origin)).toEqual(["create", "fast-forward", "last-writer-wins"]);
    await runInDurableObject(stubOf(workflowId), (instance: StateManager) => {
      instance.storage.sql.exec("UPDATE versions SET origin = 'ours' WHERE version = 2");
    });
    await abortAllDurableObjects();
    expectError(await service.history({ workflowId }), "INTEGRITY_FAILED");
  });

  it("keeps its in-memory heads and counters in step with a transaction that rolls back", async () => {
    const workflowId = await createWorkflow();
    await runInDurableObject(stubOf(workflowId), (instance: StateManager) => {
      expect(() =>
        instance.transaction(() => {
          instance.branches.move("main", 99);
          instance.counters.add("versionsCreated", 5);
          throw new Error("fails after writing");
        }),
      ).toThrow("fails after writing");
      expect(instance.branches.head("main")).toBe(1);
      expect(instance.counters.all().versionsCreated).toBe(1);
    });
    const next = unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: 1 }],
        author: "a",
        baseVersion: 1,
      }),
    );
    expect(next.version.version).toBe(2);
  });
  it("rolls back a write that fails inside its transaction alone, while its batch commits", async () => {
    const workflowId = await createWorkflow();
    await runInDurableObject(stubOf(workflowId), async (instance: StateManager) => {
      const append = instance.audit.append.bind(instance.audit);
      // b fails after its version row, patch and branch move are written: its last write throws.
      instance.audit.append = (entry) => {
        if (entry.actor === "b") throw new Error("fails after writing");
        append(entry);
      };
      const commit = (author: string, value: number) =>
        instance.commit({
          workflowId,
          patch: [{ op: "replace", path: "/metadata/counter", value }],
          author,
          changeDescription: author,
        });
      // a runs at once; b and c queue meanwhile and run as one batch.
      const [a, b, c] = await Promise.all([commit("a", 1), commit("b", 2), commit("c", 3)]);
      instance.audit.append = append;
      expect(a.ok && a.value.version.version).toBe(2);
      expect(b).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
      expect(c.ok && c.value.version.version).toBe(3);
    });

    await abortAllDurableObjects();

    const history = unwrap(await service.history({ workflowId })).versions;
    expect(history.map((v) => [v.version, v.author])).toEqual([
      [3, "c"],
      [2, "a"],
      [1, "tester"],
    ]);
    const head = unwrap(await service.getState({ workflowId, path: "/metadata/counter" }));
    expect(head.state).toBe(3);
    expect(unwrap(await service.verifyIntegrity({ workflowId }))).toMatchObject({
      ok: true,
      checked: 3,
    });
  });
});

describe("schema migrations", () => {
  it("moves an audit trail written with AUTOINCREMENT to the plain rowid, keeping every entry", async () => {
    const workflowId = await createWorkflow();
    await runInDurableObject(stubOf(workflowId), (instance: StateManager) => {
      const sql = instance.storage.sql;
      const before = sql.exec("SELECT * FROM audit ORDER BY seq").toArray();
      // The database as the first schema left it.
      sql.exec(`DROP TABLE audit;
        CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
          actor TEXT NOT NULL, action TEXT NOT NULL, version INTEGER, detail TEXT NOT NULL)`);
      for (const row of before) {
        sql.exec(
          "INSERT INTO audit (seq, at, actor, action, version, detail) VALUES (?, ?, ?, ?, ?, ?)",
          row.seq,
          row.at,
          row.actor,
          row.action,
          row.version,
          row.detail,
        );
      }
      sql.exec("UPDATE meta SET value = '1' WHERE key = 'schemaVersion'");
      migrate(sql);
      expect(sql.exec("SELECT * FROM audit ORDER BY seq").toArray()).toEqual(before);
      const table = sql.exec("SELECT sql FROM sqlite_master WHERE name = 'audit'").one();
      expect(String(table.sql)).not.toContain("AUTOINCREMENT");
    });
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: 1 }],
        author: "a",
      }),
    );
    const { entries } = unwrap(await service.auditLog({ workflowId, limit: 10 }));
    expect(entries.map((entry) => entry.version)).toEqual([2, 1]);
    expect(entries[0]?.seq).toBeGreaterThan(entries[1]?.seq ?? Number.POSITIVE_INFINITY);
  });
});

describe("getStateText", () => {
  it("answers the state as the canonical text its checksum hashes, whole or at a path", async () => {
    const workflowId = await createWorkflow(withTasks(20));
    const committed = unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/tasks/t3/status", value: "claimed" }],
        author: "a",
        baseVersion: 1,
      }),
    );
    const head = unwrap(await service.getStateText({ workflowId }));
    const object = unwrap(await service.getState({ workflowId }));
    expect(textOf(head)).toBe(canonicalize(object.state));
    expect(await sha256Hex(textOf(head))).toBe(committed.version.checksum);
    expect(head.version).toEqual(object.version);

    const task = unwrap(await service.getStateText({ workflowId, path: "/tasks/t3" }));
    expect(JSON.parse(textOf(task))).toMatchObject({ id: "t3", status: "claimed" });
    expect(task.path).toBe("/tasks/t3");

    await abortAllDurableObjects();
    const old = unwrap(await service.getStateText({ workflowId, version: 1 }));
    expect(await sha256Hex(textOf(old))).toBe(
      unwrap(await service.getState({ workflowId, version: 1 })).version.checksum,
    );
  });

  it("answers each version's own text when old and newest reads interleave with commits", async () => {
    const workflowId = await createWorkflow(withTasks(20));
    const checksums = [unwrap(await service.getStateText({ workflowId })).version.checksum];
    for (let i = 0; i < 4; i++) {
      const next = unwrap(
        await service.commit({
          workflowId,
          patch: [{ op: "replace", path: `/tasks/t${i}/status`, value: "claimed" }],
          author: "a",
        }),
      );
      checksums.push(next.version.checksum);
    }
    // Old and newest reads interleaved, then a commit, then both again: each text is its own.
    for (const version of [1, 5, 2, 5, 3, 5, 1]) {
      const read = unwrap(await service.getStateText({ workflowId, version }));
      expect(await sha256Hex(textOf(read))).toBe(checksums[version - 1]);
    }
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "remove", path: "/tasks/t0" }],
        author: "a",
      }),
    );
    const head = unwrap(await service.getStateText({ workflowId }));
    expect(head.version.version).toBe(6);
    expect(await sha256Hex(textOf(head))).toBe(head.version.checksum);
    const second = unwrap(await service.getStateText({ workflowId, version: 2 }));
    expect(await sha256Hex(textOf(second))).toBe(checksums[1]);
  });

  it("answers without the text when ifNoneMatch names the version read", async () => {
    const workflowId = await createWorkflow(withTasks(20));
    const first = unwrap(await service.getStateText({ workflowId }));
    const v1 = first.version.checksum;
    const v2 = unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/tasks/t3/status", value: "claimed" }],
        author: "a",
      }),
    ).version.checksum;

    const held = unwrap(await service.getStateText({ workflowId, ifNoneMatch: [v1, v2] }));
    expect(held).toEqual({
      version: expect.objectContaining({ version: 2, checksum: v2 }),
      path: "",
      notModified: true,
    });
    expect("json" in held).toBe(false);
    const any = unwrap(await service.getStateText({ workflowId, ifNoneMatch: ["*"] }));
    expect("notModified" in any && any.notModified).toBe(true);

    // The head moved past what the caller holds: the text comes, and it is the head's.
    const moved = unwrap(await service.getStateText({ workflowId, ifNoneMatch: [v1] }));
    expect(moved.version.version).toBe(2);
    expect(await sha256Hex(textOf(moved))).toBe(v2);

    // Any version and any path: the condition is on the version's checksum.
    const old = unwrap(await service.getStateText({ workflowId, version: 1, ifNoneMatch: [v1] }));
    expect("notModified" in old && old.version.version).toBe(1);
    const task = unwrap(
      await service.getStateText({ workflowId, path: "/tasks/t3", ifNoneMatch: [v2] }),
    );
    expect(task).toMatchObject({ path: "/tasks/t3", notModified: true });
    // What does not exist is NOT_FOUND whatever the caller holds.
    expect(
      expectError(
        await service.getStateText({ workflowId, path: "/tasks/none", ifNoneMatch: ["*"] }),
        "NOT_FOUND",
      ).path,
    ).toBe("/path");
    expect(
      expectError(
        await service.getStateText({ workflowId, version: 9, ifNoneMatch: ["*"] }),
        "NOT_FOUND",
      ).path,
    ).toBe("/version");
  });

  it.each([
    ["a malformed checksum", ["abc"], "/ifNoneMatch/0"],
    ["an uppercase checksum", ["A".repeat(64)], "/ifNoneMatch/0"],
    ["a string instead of a list", "*", "/ifNoneMatch"],
    [
      "more checksums than allowed",
      Array.from({ length: 33 }, () => "0".repeat(64)),
      "/ifNoneMatch",
    ],
  ])("refuses ifNoneMatch with %s, naming the field", async (_, ifNoneMatch, path) => {
    const workflowId = await createWorkflow();
    const error = expectError(
      await service.getStateText({ workflowId, ifNoneMatch } as never),
      "VALIDATION_FAILED",
    );
    expect(error.path).toBe(path);
  });

  it("refuses an unknown version or path, naming the field", async () => {
    const workflowId = await createWorkflow();
    expect(
      expectError(await service.getStateText({ workflowId, version: 9 }), "NOT_FOUND").path,
    ).toBe("/version");
    expect(
      expectError(await service.getStateText({ workflowId, path: "/tasks/none" }), "NOT_FOUND")
        .path,
    ).toBe("/path");
  });
});

/** The text of a read that carried one (no `ifNoneMatch` matched). */
function textOf(read: { json: string } | { notModified: true }): string {
  if (!("json" in read)) throw new Error("the read answered notModified");
  return read.json;
}
