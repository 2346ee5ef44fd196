import {
  attempt,
  ChorusError,
  type JsonValue,
  NewRule,
  type Result,
  type Rule,
  type RuleFiring,
  ruleFires,
  ruleNeedsState,
  type StateEvent,
  type VersionState,
  validateOrThrow,
  type WebhookDelivery,
} from "@chorus/core";
import type { AgentRow } from "./agent-store.ts";
import { BaseAgent } from "./base-agent.ts";
import { runAction } from "./rule-actions.ts";
import { MAX_CHAIN_DEPTH, parseOrigin } from "./rule-origin.ts";
import { publicRule, RuleTable } from "./rule-table.ts";
import { PATTERN_BRIDGE_MIGRATIONS } from "./sql/pattern-bridge-schema.ts";
import { sendDueWebhooks, webhookRetry } from "./webhook-sender.ts";

/**
 * The Pattern Bridge: one per workflow, it turns the workflow's changes into actions by its
 * rules (`when` a version changes something under a glob and a test holds, `then` set a value,
 * create a task or send a webhook). Each rule acts at most once per version (the firing is
 * stored, keyed by rule and version) and at least once (the change stays in the inbox until
 * handled). A rule is not triggered by its own commits, and a chain of rules triggering each
 * other stops at {@link MAX_CHAIN_DEPTH} with the reason recorded.
 */
export class PatternBridge extends BaseAgent {
  readonly #rules = new RuleTable(this.ctx.storage.sql);

  protected override migrations(): readonly string[] {
    return PATTERN_BRIDGE_MIGRATIONS;
  }

  /** Adds a rule (validated: a bad one is `VALIDATION_FAILED` naming the field). */
  async addRule(input: { rule: unknown; createdBy: string }): Promise<Result<Rule>> {
    return attempt(() => {
      const rule = validateOrThrow(NewRule, input.rule);
      const stored = {
        ...rule,
        id: `rl_${randomHex(8)}`,
        createdAt: Date.now(),
        createdBy: input.createdBy,
      };
      this.#rules.add(stored);
      return publicRule(stored);
    });
  }

  /** @returns the rules, oldest first */
  async listRules(): Promise<Result<Rule[]>> {
    return attempt(() => this.#rules.all().map(publicRule));
  }

  /** @returns one rule and its latest firings; `NOT_FOUND` at `/ruleId` */
  async getRule(input: { ruleId: string }): Promise<Result<{ rule: Rule; firings: RuleFiring[] }>> {
    return attempt(() => ({
      rule: publicRule(this.#require(input.ruleId)),
      firings: this.#rules.firings(input.ruleId),
    }));
  }

  /** Deletes a rule; its webhooks not yet delivered are dropped. `NOT_FOUND` at `/ruleId`. */
  async deleteRule(input: { ruleId: string }): Promise<Result<{ deleted: true }>> {
    return attempt(() => {
      this.#require(input.ruleId);
      this.#rules.delete(input.ruleId);
      return { deleted: true as const };
    });
  }

  /** @returns a rule's webhook deliveries, newest first; `NOT_FOUND` at `/ruleId` */
  async ruleDeliveries(input: { ruleId: string }): Promise<Result<WebhookDelivery[]>> {
    return attempt(() => {
      this.#require(input.ruleId);
      return this.#rules.deliveries(input.ruleId);
    });
  }

  protected override async onChange(event: StateEvent, agent: AgentRow): Promise<void> {
    if (event.branch !== "main") return;
    const rules = this.#rules.all();
    if (rules.length === 0) return;
    const own = event.author === this.author(agent);
    const origin = own ? parseOrigin(event.changeDescription) : undefined;
    // Its own commit without a chain mark (a task it created): as deep as a chain may go.
    const depth = !own ? 0 : origin === undefined ? MAX_CHAIN_DEPTH : origin.depth + 1;
    let state: JsonValue | undefined;
    for (const rule of rules) {
      if (origin?.ruleId === rule.id || this.#rules.fired(rule.id, event.version)) continue;
      if (ruleNeedsState(rule.when) && state === undefined)
        state = await this.#stateAt(agent, event.version);
      if (!ruleFires(rule.when, { patch: event.patch, ...(state === undefined ? {} : { state }) }))
        continue;
      const base = { ruleId: rule.id, version: event.version, depth, at: Date.now() };
      if (depth >= MAX_CHAIN_DEPTH) {
        const reason = `chain depth limit ${MAX_CHAIN_DEPTH} reached: version ${event.version} came from ${origin === undefined ? "this bridge" : `rule ${origin.ruleId}`} at depth ${depth - 1}`;
        this.#rules.record({ ...base, outcome: "skipped", reason });
        this.count("rulesSkipped");
        this.log("warn", "rule skipped", { ruleId: rule.id, version: event.version, reason });
        continue;
      }
      const outcome = await runAction(rule, event, {
        workflowId: agent.workflowId,
        author: this.author(agent),
        depth,
        commit: (change) => this.commit(change),
        coordinator: this.coordinator,
        table: this.#rules,
        now: Date.now(),
      });
      this.#rules.record({ ...base, ...outcome });
      this.count(outcome.outcome === "done" ? "rulesFired" : "rulesFailed");
      this.log("info", `rule ${outcome.outcome}`, {
        ruleId: rule.id,
        version: event.version,
        ...outcome,
      });
      if (rule.then.action === "webhook") await this.wake(Date.now());
    }
  }

  protected override async onTick(now: number): Promise<void> {
    const delivered = await sendDueWebhooks(this.#rules, now, webhookRetry(this.env));
    if (delivered > 0) this.count("webhooksDelivered", delivered);
  }

  protected override nextTick(): number | undefined {
    return this.#rules.nextDue();
  }

  async #stateAt(agent: AgentRow, version: number): Promise<JsonValue> {
    const read = (await this.env.STATE.getState({
      workflowId: agent.workflowId,
      version,
    })) as Result<VersionState>;
    if (!read.ok) throw ChorusError.fromData(read.error);
    return read.value.state;
  }

  #require(ruleId: string) {
    const rule = this.#rules.get(ruleId);
    if (rule === undefined) {
      throw new ChorusError("NOT_FOUND", `no rule ${ruleId} in this workflow`, { path: "/ruleId" });
    }
    return rule;
  }
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}
