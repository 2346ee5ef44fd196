import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ruleFires, ruleNeedsState } from "./rule-match.ts";
import { NewRule, RuleWhen } from "./schemas/pattern-rule.ts";

const ALL_DONE = v.parse(RuleWhen, {
  path: "/tasks/*/status",
  test: "equals",
  value: "completed",
  every: true,
});

const state = (a: string, b: string) => ({ tasks: { a: { status: a }, b: { status: b } } });

describe("ruleFires", () => {
  it("fires the example rule when the last task completes, not before", () => {
    const patch = [{ path: "/tasks/b/status" }];
    expect(ruleFires(ALL_DONE, { patch, state: state("completed", "completed") })).toBe(true);
    expect(ruleFires(ALL_DONE, { patch, state: state("completed", "claimed") })).toBe(false);
  });

  it("fires only for a version that changed something under the glob", () => {
    const done = state("completed", "completed");
    expect(ruleFires(ALL_DONE, { patch: [{ path: "/data/x" }], state: done })).toBe(false);
    // A whole task added holds a status; the whole tasks map replaced holds them all.
    expect(ruleFires(ALL_DONE, { patch: [{ path: "/tasks/b" }], state: done })).toBe(true);
    expect(ruleFires(ALL_DONE, { patch: [{ path: "/tasks" }], state: done })).toBe(true);
  });

  it("needs a match in the state for every", () => {
    expect(ruleFires(ALL_DONE, { patch: [{ path: "/tasks" }], state: { tasks: {} } })).toBe(false);
  });

  it("tests changed, exists, equals and in against the changed matches", () => {
    const at = (test: string, value?: unknown) =>
      v.parse(RuleWhen, { path: "/data/*", test, ...(value === undefined ? {} : { value }) });
    const subject = { patch: [{ path: "/data/a" }], state: { data: { a: 2, b: 1 } } };
    expect(ruleFires(at("changed"), subject)).toBe(true);
    expect(ruleFires(at("exists"), subject)).toBe(true);
    expect(ruleFires(at("equals", 2), subject)).toBe(true);
    // b equals 1 but did not change in this version.
    expect(ruleFires(at("equals", 1), subject)).toBe(false);
    expect(ruleFires(at("in", [1, 2]), subject)).toBe(true);
    expect(ruleFires(at("in", [3]), subject)).toBe(false);
    const removed = { patch: [{ path: "/data/a" }], state: { data: { b: 1 } } };
    expect(ruleFires(at("exists"), removed)).toBe(false);
    expect(ruleFires(at("changed"), removed)).toBe(true);
  });

  it("matches ** at any depth and a move's source", () => {
    const when = v.parse(RuleWhen, { path: "/data/**", test: "changed" });
    expect(ruleFires(when, { patch: [{ path: "/data/x/y/z" }] })).toBe(true);
    expect(ruleFires(when, { patch: [{ path: "/other", from: "/data/q" }] })).toBe(true);
    expect(ruleFires(when, { patch: [{ path: "/metadata" }] })).toBe(false);
    expect(ruleNeedsState(when)).toBe(false);
    expect(ruleNeedsState(ALL_DONE)).toBe(true);
  });
});

describe("NewRule", () => {
  const issuePath = (input: unknown) => {
    const result = v.safeParse(NewRule, input);
    return result.success ? undefined : v.getDotPath(result.issues[0]);
  };
  const set = { action: "set", path: "/status", value: "completed" };

  it("accepts the example rule and each action", () => {
    expect(
      issuePath({ when: { path: "/tasks/*/status", test: "changed" }, then: set }),
    ).toBeUndefined();
    const hook = { action: "webhook", url: "https://example.com/h", secret: "0123456789abcdef" };
    expect(issuePath({ when: { path: "/data", test: "exists" }, then: hook })).toBeUndefined();
    const task = { action: "createTask", task: { type: "review" } };
    expect(issuePath({ when: { path: "/data", test: "exists" }, then: task })).toBeUndefined();
  });

  it("names the field of a bad rule", () => {
    const when = { path: "/data", test: "changed" };
    expect(issuePath({ when: { path: "data", test: "changed" }, then: set })).toBe("when.path");
    expect(issuePath({ when: { path: "/data", test: "matches" }, then: set })).toBe("when.test");
    expect(issuePath({ when: { path: "/data", test: "equals" }, then: set })).toBe("when.value");
    expect(issuePath({ when: { path: "/data", test: "in", value: 1 }, then: set })).toBe(
      "when.value",
    );
    expect(issuePath({ when, then: { action: "launch" } })).toBe("then.action");
    expect(issuePath({ when, then: { action: "set", path: "", value: 1 } })).toBe("then.path");
    expect(
      issuePath({ when, then: { action: "webhook", url: "ftp://x", secret: "0123456789abcdef" } }),
    ).toBe("then.url");
    expect(
      issuePath({ when, then: { action: "webhook", url: "https://x.io", secret: "short" } }),
    ).toBe("then.secret");
    expect(issuePath({ when, then: { action: "createTask", task: {} } })).toBe("then.task.type");
    expect(issuePath({ when, then: set, extra: 1 })).toBe("extra");
  });
});
