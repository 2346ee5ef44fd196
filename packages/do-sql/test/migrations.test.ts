import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "../src/index.ts";

// Plain CREATE TABLE (no IF NOT EXISTS): running a step twice would throw.
const NOTES = "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)";
const TAGS = `CREATE TABLE tags (note_id TEXT NOT NULL, tag TEXT NOT NULL);
  CREATE INDEX tags_by_tag ON tags (tag, note_id)`;

/** Runs `callback` against the SQL storage of a Durable Object no other test uses. */
function withFreshSql<R>(callback: (sql: SqlStorage) => R): Promise<R> {
  const stub = env.SQL_OBJECT.get(env.SQL_OBJECT.newUniqueId());
  return runInDurableObject(stub, (_instance, state) => callback(state.storage.sql));
}

function schemaVersion(sql: SqlStorage): string | undefined {
  const row = sql.exec("SELECT value FROM meta WHERE key = 'schemaVersion'").toArray()[0];
  return row === undefined ? undefined : String(row.value);
}

function tables(sql: SqlStorage): string[] {
  return sql
    .exec("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
    .toArray()
    .map((row) => String(row.name))
    .filter((name) => !name.startsWith("_cf_") && !name.startsWith("sqlite_"));
}

describe("applyMigrations", () => {
  it("runs every step of a new database, several statements to a step, and records how many", async () => {
    await withFreshSql((sql) => {
      applyMigrations(sql, [NOTES, TAGS]);
      expect(tables(sql)).toEqual(["meta", "notes", "tags", "tags_by_tag"]);
      expect(schemaVersion(sql)).toBe("2");
    });
  });

  it("runs only the steps a database has not run yet", async () => {
    await withFreshSql((sql) => {
      applyMigrations(sql, [NOTES]);
      sql.exec("INSERT INTO notes (id, body) VALUES ('n1', 'kept')");
      applyMigrations(sql, [NOTES, TAGS]);
      expect(schemaVersion(sql)).toBe("2");
      expect(tables(sql)).toContain("tags");
      expect(sql.exec("SELECT body FROM notes").toArray()).toEqual([{ body: "kept" }]);
    });
  });

  it("does nothing to a database that is current", async () => {
    await withFreshSql((sql) => {
      applyMigrations(sql, [NOTES, TAGS]);
      expect(() => applyMigrations(sql, [NOTES, TAGS])).not.toThrow();
      expect(schemaVersion(sql)).toBe("2");
    });
  });

  it("records no version for an empty list of steps beyond the meta table", async () => {
    await withFreshSql((sql) => {
      applyMigrations(sql, []);
      expect(tables(sql)).toEqual(["meta"]);
      expect(schemaVersion(sql)).toBeUndefined();
    });
  });

  it("counts a second schema's steps under its own key, apart from the first", async () => {
    await withFreshSql((sql) => {
      applyMigrations(sql, [NOTES]);
      applyMigrations(sql, [TAGS], "extraVersion");
      expect(schemaVersion(sql)).toBe("1");
      const extra = sql.exec("SELECT value FROM meta WHERE key = 'extraVersion'").toArray();
      expect(extra).toEqual([{ value: "1" }]);
      expect(() => applyMigrations(sql, [TAGS], "extraVersion")).not.toThrow();
      expect(tables(sql)).toEqual(["meta", "notes", "tags", "tags_by_tag"]);
    });
  });
});
