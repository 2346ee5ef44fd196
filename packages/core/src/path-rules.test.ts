import { describe, expect, it } from "vitest";
import { merge } from "./merge.ts";
import { compilePathFilter, compilePathRules, matchPointerGlob } from "./path-rules.ts";
import { parsePointer } from "./pointer.ts";
import { catchError } from "./testing/catch-error.ts";

describe("matchPointerGlob", () => {
  it.each([
    ["/tasks/*", "/tasks/t1", true],
    ["/tasks/*", "/tasks", false],
    ["/tasks/*", "/tasks/t1/status", false],
    ["/tasks/*/status", "/tasks/t1/status", true],
    ["/tasks/**", "/tasks", true],
    ["/tasks/**", "/tasks/t1/notes/0", true],
    ["/**/status", "/status", true],
    ["/**/status", "/a/b/status", true],
    ["/**/status", "/a/b/status/x", false],
    ["/**/x/**/y", "/x/a/x/b/y", true],
    ["/**", "", true],
    ["", "", true],
    ["", "/a", false],
    ["/a*", "/ab", false],
    ["/a*", "/a*", true],
    ["/a~1b/*", "/a~1b/c", true],
    ["/*", "/", true],
  ])("matches %j against %j: %s", (glob, pointer, expected) => {
    expect(matchPointerGlob(glob, pointer)).toBe(expected);
  });
});

describe("compilePathRules", () => {
  it("returns the first matching rule in order", () => {
    const match = compilePathRules([
      { path: "/tasks/*/estimate", strategy: "sum" },
      { path: "/tasks/**", strategy: "theirs" },
    ]);
    expect(match(["tasks", "t1", "estimate"])?.strategy).toBe("sum");
    expect(match(["tasks", "t1", "title"])?.strategy).toBe("theirs");
    expect(match(["other"])).toBeUndefined();
  });

  it("refuses a rule path that is not a pointer, naming it and its index", () => {
    const error = catchError(() =>
      compilePathRules([
        { path: "/ok", strategy: "ours" },
        { path: "tasks/*", strategy: "ours" },
      ]),
    );
    expect([error.code, error.path, error.details]).toEqual([
      "INVALID_POINTER",
      "tasks/*",
      { rule: 1 },
    ]);
  });
});

describe("merge with path rules", () => {
  const base = { counters: { views: 1, likes: 1 }, tasks: { t1: { title: "a", estimate: 1 } } };
  const ours = { counters: { views: 2, likes: 3 }, tasks: { t1: { title: "b", estimate: 2 } } };
  const theirs = { counters: { views: 4, likes: 1 }, tasks: { t1: { title: "c", estimate: 3 } } };

  it("applies the strategy of the first rule whose glob matches each conflict", () => {
    const result = merge(base, ours, theirs, {
      rules: [
        { path: "/counters/*", strategy: "sum" },
        { path: "/tasks/*/estimate", strategy: "sum" },
        { path: "/tasks/**", strategy: "theirs" },
      ],
    });
    expect(result.value).toEqual({
      counters: { views: 5, likes: 3 },
      tasks: { t1: { title: "c", estimate: 4 } },
    });
    expect(result.resolved.map((r) => [r.path, r.strategy])).toEqual([
      ["/counters/views", "sum"],
      ["/tasks/t1/title", "theirs"],
      ["/tasks/t1/estimate", "sum"],
    ]);
    expect(result.clean).toEqual(["/counters/likes"]);
  });

  it("falls back to the default strategy where no rule matches", () => {
    const result = merge(base, ours, theirs, {
      rules: [{ path: "/counters/**", strategy: "sum" }],
      defaultStrategy: "ours",
    });
    expect(result.value).toEqual({
      counters: { views: 5, likes: 3 },
      tasks: { t1: { title: "b", estimate: 2 } },
    });
    expect(result.conflicts).toEqual([]);
  });

  it("leaves conflicts no rule matches when the default is reject", () => {
    const result = merge(base, ours, theirs, { rules: [{ path: "/tasks/**", strategy: "ours" }] });
    expect(result.conflicts.map((c) => c.path)).toEqual(["/counters/views"]);
  });

  it("counts agreed increments twice only where a sum rule applies", () => {
    const result = merge(
      { c: { n: 1 }, t: "a" },
      { c: { n: 2 }, t: "b" },
      { c: { n: 2 }, t: "b" },
      {
        rules: [{ path: "/c/*", strategy: "sum" }],
      },
    );
    expect(result.value).toEqual({ c: { n: 3 }, t: "b" });
    expect(result.clean).toEqual(["/t"]);
  });

  it("refuses a bad rule path before merging", () => {
    const error = catchError(() =>
      merge({}, {}, {}, { rules: [{ path: "/a~2", strategy: "ours" }] }),
    );
    expect([error.code, error.path]).toEqual(["INVALID_POINTER", "/a~2"]);
  });
});

describe("compilePathFilter", () => {
  it.each([
    [["/tasks/*/status"], "/tasks/t1/status", true],
    [["/tasks/*/status"], "/tasks/t1", true],
    [["/tasks/*/status"], "/tasks", true],
    [["/tasks/*/status"], "", true],
    [["/tasks/*/status"], "/tasks/t1/title", false],
    [["/tasks/*/status"], "/tasks/t1/status/0", true],
    [["/tasks/*/status"], "/status", false],
    [["/status"], "/status", true],
    [["/status"], "/statuses", false],
    [["/config/**"], "/config/a/b", true],
    [["/config/**"], "/other", false],
    [["/**/status"], "/a/b/c", true],
    [["/a", "/b/*"], "/b/x/y", true],
    [["/a", "/b/*"], "/c", false],
    [[], "/a", false],
  ])("%j concerns %j: %s", (globs, pointer, expected) => {
    expect(compilePathFilter(globs)(parsePointer(pointer))).toBe(expected);
  });

  it("names a bad glob by position", () => {
    const error = catchError(() => compilePathFilter(["/ok", "no-slash"]));
    expect(error).toMatchObject({
      code: "INVALID_POINTER",
      path: "no-slash",
      details: { glob: 1 },
    });
  });
});
