// The public surface of @chorus/do-sql.

export { applyMigrations } from "./migrations.ts";
