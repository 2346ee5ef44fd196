import { FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, type Review } from "@chorus/core";
import { retryAfter } from "./change-consumers.ts";
import type { Notifier, ReviewEvent } from "./notifier.ts";
import type { Timers } from "./task-timers.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** Attempts per notice before it is dropped (logged): about 17 minutes at the default backoff. */
const MAX_ATTEMPTS = 10;

/**
 * Review events waiting to reach each configured notifier, in the `review_notifications` table:
 * written in the transaction of the event itself, so none is lost if the object dies after it,
 * and sent from the object's alarm (timer `notify`), retried with backoff until the notifier
 * takes it or {@link MAX_ATTEMPTS} fail. At least once: a notice may repeat after a crash.
 */
export class NotificationOutbox {
  readonly #sql: SqlStorage;
  readonly #timers: Timers;
  readonly #notifiers: Map<string, Notifier>;
  readonly #retry: { firstRetryMs: number; maxRetryMs: number };

  /**
   * @param sql the Durable Object's SQL storage
   * @param timers the timers table, whose `notify` row arms the alarm
   * @param notifiers the configured notifiers by name (none: nothing is recorded)
   * @param retry the backoff: first wait, doubling, at most the second
   */
  constructor(
    sql: SqlStorage,
    timers: Timers,
    notifiers: Map<string, Notifier>,
    retry: { firstRetryMs?: number; maxRetryMs?: number } = {},
  ) {
    this.#sql = sql;
    this.#timers = timers;
    this.#notifiers = notifiers;
    this.#retry = {
      firstRetryMs: retry.firstRetryMs ?? FIRST_RETRY_DELAY_MS,
      maxRetryMs: retry.maxRetryMs ?? MAX_RETRY_DELAY_MS,
    };
  }

  /**
   * Records an event for every notifier; call inside the event's transaction.
   * @param event what happened
   * @param review the review as it stands after it
   * @param head the review branch's head (its state goes with the notice)
   * @param now the event's time: the first attempt is due then
   */
  record(event: ReviewEvent, review: Review, head: number, now: number): void {
    if (this.#notifiers.size === 0) return;
    for (const name of this.#notifiers.keys()) {
      this.#sql.exec(
        `INSERT INTO review_notifications (notifier, event, review, head, attempts, due_at)
         VALUES (?, ?, ?, ?, 0, ?)`,
        name,
        event,
        JSON.stringify(review),
        head,
        now,
      );
    }
    const at = this.#timers.get("notify", "");
    if (at === undefined || at > now) this.#timers.set("notify", "", now);
  }

  /** @returns whether a notice is due by `now` */
  due(now: number): boolean {
    const at = this.#timers.get("notify", "");
    return at !== undefined && at <= now;
  }

  /**
   * Sends every notice due by `now`, oldest first; each failure waits its own backoff. Sets the
   * `notify` timer to the next due notice, or clears it.
   * @param ctx the workflow (for the workflow id and the reviewed states)
   * @param now the current time
   */
  async runDue(ctx: WorkflowContext, now: number): Promise<void> {
    const rows = this.#sql
      .exec("SELECT * FROM review_notifications WHERE due_at <= ? ORDER BY seq LIMIT 100", now)
      .toArray();
    for (const row of rows) {
      const seq = Number(row.seq);
      const notifier = this.#notifiers.get(String(row.notifier));
      try {
        if (notifier !== undefined) {
          await notifier.send({
            event: String(row.event) as ReviewEvent,
            workflowId: ctx.workflowId(),
            review: JSON.parse(String(row.review)) as Review,
            state: await ctx.versions.stateAt(Number(row.head)),
          });
        }
        this.#sql.exec("DELETE FROM review_notifications WHERE seq = ?", seq);
      } catch (error) {
        const attempts = Number(row.attempts) + 1;
        if (attempts >= MAX_ATTEMPTS) {
          console.error(
            `dropping a ${row.event} notice to ${row.notifier} after ${attempts} attempts`,
            error,
          );
          this.#sql.exec("DELETE FROM review_notifications WHERE seq = ?", seq);
        } else {
          console.error(`notifying ${row.notifier} failed; retrying`, error);
          this.#sql.exec(
            "UPDATE review_notifications SET attempts = ?, due_at = ? WHERE seq = ?",
            attempts,
            ctx.now() + retryAfter(attempts, this.#retry),
            seq,
          );
        }
      }
    }
    const next = this.#sql.exec("SELECT MIN(due_at) AS due FROM review_notifications").toArray()[0];
    if (next?.due === null || next?.due === undefined) this.#timers.clear("notify", "");
    else this.#timers.set("notify", "", Number(next.due));
  }
}
