import { describe, expect, it } from "vitest";
import { merge } from "./merge.ts";
import {
  defaultStrategies,
  registerStrategy,
  type Strategy,
  StrategyRegistry,
} from "./strategies.ts";
import { catchError } from "./testing/catch-error.ts";

const concat: Strategy = ({ ours, theirs }) =>
  typeof ours === "string" && typeof theirs === "string"
    ? { resolved: true, value: `${ours}+${theirs}` }
    : { resolved: false };

describe("StrategyRegistry", () => {
  it("starts with the built-in strategies", () => {
    expect(new StrategyRegistry().names()).toEqual([
      "reject",
      "ours",
      "theirs",
      "last-writer-wins",
      "sum",
    ]);
  });

  it("resolves conflicts with a custom strategy from a registry passed in the options", () => {
    const registry = new StrategyRegistry().register("concat", concat);
    const result = merge(
      { t: "a" },
      { t: "b" },
      { t: "c" },
      { registry, defaultStrategy: "concat" },
    );
    expect(result.value).toEqual({ t: "b+c" });
    expect(result.resolved).toEqual([
      { path: "/t", base: "a", ours: "b", theirs: "c", strategy: "concat" },
    ]);
    expect(defaultStrategies.has("concat")).toBe(false);
  });

  it("hands a strategy the path, the sides, the writers and the tokens", () => {
    const seen: unknown[] = [];
    const registry = new StrategyRegistry().register("spy", (input) => {
      seen.push(input);
      return { resolved: false };
    });
    merge(
      { "a/b": [{ id: "x", v: 0 }] },
      { "a/b": [{ id: "x", v: 1 }] },
      { "a/b": [{ id: "x" }] },
      {
        registry,
        defaultStrategy: "spy",
        oursAuthor: "amy",
        theirsTimestamp: 3,
      },
    );
    expect(seen).toEqual([
      {
        path: "/a~1b/0/v",
        id: "x",
        base: 0,
        ours: 1,
        context: { tokens: ["a/b", "0", "v"], oursAuthor: "amy", theirsTimestamp: 3 },
      },
    ]);
  });

  it("lets a strategy remove the value", () => {
    const registry = new StrategyRegistry().register("drop", () => ({
      resolved: true,
      remove: true,
    }));
    const result = merge(
      { a: 1, b: 1 },
      { a: 2, b: 1 },
      { a: 3, b: 1 },
      { registry, defaultStrategy: "drop" },
    );
    expect(result.value).toEqual({ b: 1 });
  });

  it("refuses a strategy that removes the root", () => {
    const registry = new StrategyRegistry().register("drop", () => ({
      resolved: true,
      remove: true,
    }));
    const error = catchError(() => merge(1, 2, 3, { registry, defaultStrategy: "drop" }));
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", ""]);
  });

  it("refuses a malformed answer or a non-JSON value from a strategy, naming the path", () => {
    const registry = new StrategyRegistry()
      .register("broken", () => undefined as never)
      .register("nan", () => ({ resolved: true, value: Number.NaN }));
    const options = { registry, defaultStrategy: "broken" };
    const broken = catchError(() => merge({ a: 1 }, { a: 2 }, { a: 3 }, options));
    expect([broken.code, broken.path]).toEqual(["VALIDATION_FAILED", "/a"]);
    expect(broken.message).toContain('"broken"');
    const nan = catchError(() =>
      merge({ a: 1 }, { a: 2 }, { a: 3 }, { registry, defaultStrategy: "nan" }),
    );
    expect([nan.code, nan.path]).toEqual(["INVALID_JSON", "/a"]);
  });

  it("offers agreed changes only to strategies registered to settle agreements", () => {
    const double: Strategy = ({ ours }) =>
      typeof ours === "number" ? { resolved: true, value: ours * 2 } : { resolved: false };
    const registry = new StrategyRegistry()
      .register("double", double)
      .register("double-agreed", double, { settlesAgreements: true });
    const plain = merge({ n: 1 }, { n: 2 }, { n: 2 }, { registry, defaultStrategy: "double" });
    expect(plain.value).toEqual({ n: 2 });
    const agreed = merge(
      { n: 1 },
      { n: 2 },
      { n: 2 },
      { registry, defaultStrategy: "double-agreed" },
    );
    expect(agreed.value).toEqual({ n: 4 });
  });

  it("refuses an unknown strategy name, naming it, even when nothing conflicts", () => {
    const error = catchError(() => merge({}, {}, {}, { defaultStrategy: "nope" }));
    expect(error.code).toBe("UNKNOWN_STRATEGY");
    expect(error.message).toContain('"nope"');
    const inRule = catchError(() =>
      merge({}, {}, {}, { rules: [{ path: "/a", strategy: "nah" }] }),
    );
    expect(inRule.code).toBe("UNKNOWN_STRATEGY");
    expect(inRule.details).toMatchObject({ strategy: "nah" });
  });
});

describe("registerStrategy", () => {
  it("adds a strategy to the shared registry that merge uses by default", () => {
    const name = `test-concat-${crypto.randomUUID()}`;
    registerStrategy(name, concat);
    expect(merge("a", "b", "c", { defaultStrategy: name }).value).toBe("b+c");
  });
});
