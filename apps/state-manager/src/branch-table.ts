import { type Branch, ChorusError } from "@chorus/core";

/** The `branches` table. */
export class BranchTable {
  readonly #sql: SqlStorage;
  // Every branch's head, read once: a commit asks for its branch's head on every write. Kept
  // in step by insert() and move(); reload() after a transaction that wrote here rolled back.
  #heads: Map<string, number> | undefined;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @returns every branch, `main` first */
  list(): Branch[] {
    return this.#sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM branches ORDER BY name = 'main' DESC, name",
      )
      .toArray()
      .map((raw) => ({
        name: String(raw.name),
        head: Number(raw.head),
        createdFrom: raw.created_from === null ? null : Number(raw.created_from),
        createdAt: Number(raw.created_at),
        author: String(raw.author),
      }));
  }

  /**
   * @param name a branch name
   * @returns its head version, or `undefined` when there is no such branch
   */
  head(name: string): number | undefined {
    this.#heads ??= new Map(
      this.#sql
        .exec<{ name: string; head: number }>("SELECT name, head FROM branches")
        .toArray()
        .map((raw) => [String(raw.name), Number(raw.head)]),
    );
    return this.#heads.get(name);
  }

  /** Forgets the heads read so far; the next {@link BranchTable.head} reads them again. */
  reload(): void {
    this.#heads = undefined;
  }

  /**
   * @param name a branch name
   * @param path the input field that named it
   * @returns its head version
   * @throws ChorusError `NOT_FOUND` naming the branch and the field
   */
  requireHead(name: string, path = "/branch"): number {
    const head = this.head(name);
    if (head === undefined) {
      throw new ChorusError("NOT_FOUND", `branch "${name}" does not exist`, { path });
    }
    return head;
  }

  /** @returns how many branches exist */
  count(): number {
    return Number(this.#sql.exec("SELECT COUNT(*) AS n FROM branches").one().n);
  }

  /**
   * @param branch the new branch
   */
  insert(branch: Branch): void {
    this.#sql.exec(
      "INSERT INTO branches (name, head, created_from, created_at, author) VALUES (?, ?, ?, ?, ?)",
      branch.name,
      branch.head,
      branch.createdFrom,
      branch.createdAt,
      branch.author,
    );
    this.#heads?.set(branch.name, branch.head);
  }

  /**
   * @param name a branch
   * @param head its new head version
   */
  move(name: string, head: number): void {
    this.#sql.exec("UPDATE branches SET head = ? WHERE name = ?", head, name);
    this.#heads?.set(name, head);
  }
}
