import type { NewRule, Rule, RuleFiring, WebhookDelivery } from "@chorus/core";

/** A rule as stored: the rule as created, a webhook's secret included. */
export type StoredRule = NewRule & { id: string; createdAt: number; createdBy: string };

/** A webhook delivery with what sending it needs. */
export type StoredDelivery = WebhookDelivery & { secret: string; body: string };

/** How many firings a rule's detail shows. */
const FIRINGS_SHOWN = 50;

/** The Pattern Bridge's rules, firings and webhook deliveries, in its SQLite. */
export class RuleTable {
  readonly #sql: SqlStorage;

  /** @param sql the bridge's SQL storage, migrated */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Stores a new rule. */
  add(rule: StoredRule): void {
    const { id, createdAt, createdBy, ...body } = rule;
    this.#sql.exec(
      "INSERT INTO rules (id, body, created_at, created_by) VALUES (?, ?, ?, ?)",
      id,
      JSON.stringify(body),
      createdAt,
      createdBy,
    );
  }

  /** @returns every rule, oldest first */
  all(): StoredRule[] {
    return this.#sql
      .exec("SELECT * FROM rules ORDER BY created_at, id")
      .toArray()
      .map((row) => ({
        ...(JSON.parse(String(row.body)) as NewRule),
        id: String(row.id),
        createdAt: Number(row.created_at),
        createdBy: String(row.created_by),
      }));
  }

  /** @returns one rule */
  get(id: string): StoredRule | undefined {
    return this.all().find((rule) => rule.id === id);
  }

  /** Deletes a rule and its pending webhooks. @returns whether it existed */
  delete(id: string): boolean {
    const existed = this.get(id) !== undefined;
    this.#sql.exec("DELETE FROM rules WHERE id = ?", id);
    this.#sql.exec(
      "UPDATE deliveries SET status = 'failed', next_at = NULL WHERE rule_id = ? AND status = 'pending'",
      id,
    );
    return existed;
  }

  /** @returns whether the rule already acted (or declined to) for the version */
  fired(ruleId: string, version: number): boolean {
    return (
      this.#sql
        .exec("SELECT 1 FROM firings WHERE rule_id = ? AND version = ?", ruleId, version)
        .toArray().length > 0
    );
  }

  /** Records what a rule did for a version. */
  record(firing: RuleFiring): void {
    this.#sql.exec(
      `INSERT OR REPLACE INTO firings (rule_id, version, outcome, depth, reason, effect, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      firing.ruleId,
      firing.version,
      firing.outcome,
      firing.depth,
      firing.reason ?? null,
      firing.effect === undefined ? null : JSON.stringify(firing.effect),
      firing.at,
    );
  }

  /** @returns a rule's latest firings, newest version first */
  firings(ruleId: string): RuleFiring[] {
    return this.#sql
      .exec(
        "SELECT * FROM firings WHERE rule_id = ? ORDER BY version DESC LIMIT ?",
        ruleId,
        FIRINGS_SHOWN,
      )
      .toArray()
      .map((row) => ({
        ruleId: String(row.rule_id),
        version: Number(row.version),
        outcome: String(row.outcome) as RuleFiring["outcome"],
        depth: Number(row.depth),
        ...(row.reason === null ? {} : { reason: String(row.reason) }),
        ...(row.effect === null ? {} : { effect: JSON.parse(String(row.effect)) }),
        at: Number(row.at),
      }));
  }

  /** Queues a webhook, due at `now`. */
  enqueue(
    delivery: {
      id: string;
      ruleId: string;
      version: number;
      url: string;
      secret: string;
      body: string;
    },
    now: number,
  ): void {
    this.#sql.exec(
      `INSERT OR IGNORE INTO deliveries (id, rule_id, version, url, secret, body, status, attempts,
         history, created_at, next_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, '[]', ?, ?)`,
      delivery.id,
      delivery.ruleId,
      delivery.version,
      delivery.url,
      delivery.secret,
      delivery.body,
      now,
      now,
    );
  }

  /** @returns pending deliveries due by `now`, soonest first */
  due(now: number, limit: number): StoredDelivery[] {
    return this.#deliveries(
      "SELECT * FROM deliveries WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?",
      now,
      limit,
    );
  }

  /** @returns when the next pending delivery is due */
  nextDue(): number | undefined {
    const row = this.#sql
      .exec("SELECT MIN(next_at) AS at FROM deliveries WHERE status = 'pending'")
      .toArray()[0];
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /** Stores the outcome of an attempt. */
  attempted(delivery: StoredDelivery): void {
    this.#sql.exec(
      `UPDATE deliveries SET status = ?, attempts = ?, history = ?, next_at = ?, delivered_at = ?
       WHERE id = ?`,
      delivery.status,
      delivery.attempts,
      JSON.stringify(delivery.history),
      delivery.nextAttemptAt ?? null,
      delivery.deliveredAt ?? null,
      delivery.id,
    );
  }

  /** @returns a rule's deliveries, newest version first */
  deliveries(ruleId: string): WebhookDelivery[] {
    return this.#deliveries(
      "SELECT * FROM deliveries WHERE rule_id = ? ORDER BY version DESC",
      ruleId,
    ).map(({ secret: _secret, body: _body, ...delivery }) => delivery);
  }

  #deliveries(query: string, ...bindings: unknown[]): StoredDelivery[] {
    return this.#sql
      .exec(query, ...bindings)
      .toArray()
      .map((row) => ({
        id: String(row.id),
        ruleId: String(row.rule_id),
        version: Number(row.version),
        url: String(row.url),
        secret: String(row.secret),
        body: String(row.body),
        status: String(row.status) as WebhookDelivery["status"],
        attempts: Number(row.attempts),
        createdAt: Number(row.created_at),
        ...(row.next_at === null ? {} : { nextAttemptAt: Number(row.next_at) }),
        ...(row.delivered_at === null ? {} : { deliveredAt: Number(row.delivered_at) }),
        history: JSON.parse(String(row.history)) as WebhookDelivery["history"],
      }));
  }
}

/**
 * @param rule a stored rule
 * @returns it as the API shows it: a webhook's secret left out
 */
export function publicRule(rule: StoredRule): Rule {
  if (rule.then.action !== "webhook") return rule as Rule;
  const { secret: _secret, ...then } = rule.then;
  return { ...rule, then } as Rule;
}
