/**
 * Brings a Durable Object's SQLite database up to the newest schema: runs, in order, each step
 * it has not run yet. `meta.schemaVersion` records how many steps a database has run, because
 * Durable Object SQLite does not allow `PRAGMA user_version`. Steps are append-only: a later
 * change adds a step rather than editing one a database may already have run.
 * @param sql the Durable Object's SQL storage (`ctx.storage.sql`)
 * @param migrations the schema's steps, oldest first; a step may hold several statements
 * @param key the `meta` key that counts them: a second schema in the same database (a subclass's
 *   tables beside its base class's) counts its own steps under its own key
 * @example
 * ctx.blockConcurrencyWhile(async () =>
 *   applyMigrations(ctx.storage.sql, ["CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY)"]),
 * );
 */
export function applyMigrations(
  sql: SqlStorage,
  migrations: readonly string[],
  key = "schemaVersion",
): void {
  sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const row = sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
  const current = row === undefined ? 0 : Number(row.value);
  for (const [index, statements] of migrations.slice(current).entries()) {
    sql.exec(statements);
    sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      String(current + index + 1),
    );
  }
}
