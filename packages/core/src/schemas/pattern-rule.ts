import * as v from "valibot";
import { isJsonObject } from "../json.ts";
import { JsonData, JsonPointer } from "../json-patch.ts";
import { parsePointer } from "../pointer.ts";
import { Count, Id, Timestamp, VersionNumber } from "./fields.ts";
import { NewTask } from "./new-task.ts";

/** A pointer glob: a JSON Pointer whose `*` token matches one token and `**` any number. */
export const PointerGlob = v.pipe(
  JsonPointer,
  v.check((glob) => {
    try {
      parsePointer(glob);
      return true;
    } catch {
      return false;
    }
  }, "Invalid pointer glob"),
);

/**
 * When a rule fires, for a version that changed something under `path` (a pointer glob):
 * `changed` always; `exists` when a changed match has a value; `equals` / `in` when a changed
 * match's value equals `value` / is one of `value`'s items. With `every`, `equals`, `in` and
 * `exists` must hold for every match of `path` in the state (and there must be one).
 */
export const RuleWhen = v.pipe(
  v.strictObject({
    path: PointerGlob,
    test: v.picklist(["changed", "equals", "in", "exists"]),
    value: v.exactOptional(JsonData),
    every: v.exactOptional(v.boolean()),
  }),
  v.forward(
    v.check(
      (when) => (when.test === "equals" || when.test === "in") === "value" in when,
      "Invalid value: `equals` and `in` need one, `changed` and `exists` take none",
    ),
    ["value"],
  ),
  v.forward(
    v.check(
      (when) => when.test !== "in" || Array.isArray(when.value),
      "Invalid value: `in` needs an array",
    ),
    ["value"],
  ),
);

/** When a rule fires. */
export type RuleWhen = v.InferOutput<typeof RuleWhen>;

/** Sets a value in the workflow's state (JSON Patch `add`: a member is added or replaced). */
export const SetAction = v.strictObject({
  action: v.literal("set"),
  path: v.pipe(JsonPointer, v.minLength(1, "Invalid path: the whole state cannot be set")),
  value: JsonData,
});

/** Creates a task; its id is made from the rule and the version, so it is created once. */
export const CreateTaskAction = v.strictObject({
  action: v.literal("createTask"),
  task: v.omit(NewTask, ["id"]),
});

/** An http(s) URL. */
const HttpUrl = v.pipe(
  v.string(),
  v.url(),
  v.check((url) => /^https?:\/\//i.test(url), "Invalid URL: expected http or https"),
);

/** POSTs the firing to `url`, signed with `secret` (`X-Chorus-Signature`), retried until 2xx. */
export const WebhookAction = v.strictObject({
  action: v.literal("webhook"),
  url: HttpUrl,
  /** the HMAC key; stored, never shown again */
  secret: v.pipe(v.string(), v.minLength(16), v.maxLength(256)),
});

/** What a rule does when it fires. */
export const RuleThen = v.variant("action", [SetAction, CreateTaskAction, WebhookAction]);

/** What a rule does when it fires. */
export type RuleThen = v.InferOutput<typeof RuleThen>;

/**
 * The body of `POST /api/workflows/{id}/rules`. Unknown members are refused.
 * @example
 * v.parse(NewRule, {
 *   when: { path: "/tasks/*\/status", test: "equals", value: "completed", every: true },
 *   then: { action: "set", path: "/status", value: "completed" },
 * });
 */
export const NewRule = v.strictObject({
  name: v.exactOptional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  when: RuleWhen,
  // biome-ignore lint/suspicious/noThenProperty: the API's field (issue 15); an object, never thenable
  then: RuleThen,
});

/** The body of `POST /api/workflows/{id}/rules`. */
export type NewRule = v.InferOutput<typeof NewRule>;

/** A rule as the API shows it: a webhook's secret is left out. */
export const Rule = v.object({
  id: Id,
  name: v.exactOptional(v.string()),
  when: RuleWhen,
  // biome-ignore lint/suspicious/noThenProperty: the API's field (issue 15); an object, never thenable
  then: v.variant("action", [SetAction, CreateTaskAction, v.omit(WebhookAction, ["secret"])]),
  createdAt: Timestamp,
  createdBy: Id,
});

/** A rule as the API shows it. */
export type Rule = v.InferOutput<typeof Rule>;

/** One rule, wrapped. */
export const RuleAnswer = v.object({ rule: Rule });

/** The rules of a workflow, oldest first. */
export const RuleList = v.object({ rules: v.array(Rule) });

/**
 * What one rule did for one version: `done` (its effect happened, `effect` says what), `skipped`
 * (a chain reached the depth limit: `reason`), `failed` (the effect was refused: `reason`).
 */
export const RuleFiring = v.object({
  ruleId: Id,
  version: VersionNumber,
  outcome: v.picklist(["done", "skipped", "failed"]),
  /** how many rule commits led to the version (0: a commit by someone else) */
  depth: Count,
  reason: v.exactOptional(v.string()),
  effect: v.exactOptional(v.custom<Record<string, unknown>>(isJsonObject)),
  at: Timestamp,
});

/** What one rule did for one version. */
export type RuleFiring = v.InferOutput<typeof RuleFiring>;

/** A rule with its latest firings, newest first. */
export const RuleDetail = v.object({ rule: Rule, firings: v.array(RuleFiring) });

/** One attempt to deliver a webhook. */
export const WebhookAttempt = v.object({
  at: Timestamp,
  /** the receiver's HTTP status; absent when no answer came */
  status: v.exactOptional(v.number()),
  error: v.exactOptional(v.string()),
});

/** A webhook a rule fired for one version, and how its delivery went. */
export const WebhookDelivery = v.object({
  /** also sent as `X-Chorus-Delivery`: the receiver's key to drop repeats */
  id: Id,
  ruleId: Id,
  version: VersionNumber,
  url: v.string(),
  status: v.picklist(["pending", "delivered", "failed"]),
  attempts: Count,
  createdAt: Timestamp,
  nextAttemptAt: v.exactOptional(Timestamp),
  deliveredAt: v.exactOptional(Timestamp),
  /** every attempt, oldest first */
  history: v.array(WebhookAttempt),
});

/** A webhook delivery. */
export type WebhookDelivery = v.InferOutput<typeof WebhookDelivery>;

/** A rule's webhook deliveries, newest first. */
export const WebhookDeliveryList = v.object({ deliveries: v.array(WebhookDelivery) });
