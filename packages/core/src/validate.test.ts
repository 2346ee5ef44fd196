import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { catchError } from "./testing/catch-error.ts";
import { validate, validateOrThrow, validationError } from "./validate.ts";

const Schema = v.object({
  name: v.string(),
  tags: v.array(v.string()),
  nested: v.record(v.string(), v.object({ n: v.number() })),
});

describe("validate", () => {
  it("returns the schema's output when the input matches", () => {
    const input = { name: "a", tags: ["x"], nested: { k: { n: 1 } }, extra: true };
    expect(validate(Schema, input)).toEqual({
      success: true,
      output: { name: "a", tags: ["x"], nested: { k: { n: 1 } } },
    });
  });

  it("reports every issue, each at its JSON Pointer", () => {
    const result = validate(Schema, { name: 1, tags: ["ok", 2], nested: { "a/b": { n: "1" } } });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((issue) => issue.path)).toEqual([
      "/name",
      "/tags/1",
      "/nested/a~1b/n",
    ]);
    for (const issue of result.issues) expect(issue.message).toMatch(/Expected/);
  });

  it("reports an issue with the input itself at the empty pointer", () => {
    const result = validate(Schema, null);
    expect(result.success === false && result.issues[0]?.path).toBe("");
  });

  it.each([
    ["an object", v.object({ n: v.optional(v.number()) })],
    ["a strict object", v.strictObject({ n: v.optional(v.number()) })],
    ["a loose object", v.looseObject({ n: v.optional(v.number()) })],
    ["an object with rest", v.objectWithRest({}, v.number())],
    ["a piped object", v.pipe(v.object({ n: v.optional(v.number()) }), v.readonly())],
  ])("refuses an array where %s is expected, though valibot alone takes it", (_, schema) => {
    expect(v.safeParse(schema, []).success).toBe(true);
    expect(validate(schema, [])).toEqual({
      success: false,
      issues: [{ path: "", message: "Invalid type: Expected an object but received an array" }],
    });
  });

  it("still takes an array where the schema expects one", () => {
    expect(validate(v.array(v.number()), [1])).toEqual({ success: true, output: [1] });
  });
});

describe("validateOrThrow", () => {
  it("throws VALIDATION_FAILED naming the first issue and listing them all", () => {
    const error = catchError(() =>
      validateOrThrow(Schema, { name: "a", tags: [1, 2], nested: {} }, { what: "thing" }),
    );
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.path).toBe("/tags/0");
    expect(error.message).toMatch(/^invalid thing at \/tags\/0: .* \(and 1 more\)$/);
    expect(error.details).toEqual({
      issues: [
        { path: "/tags/0", message: expect.any(String) },
        { path: "/tags/1", message: expect.any(String) },
      ],
    });
  });

  it("returns the output when the input matches", () => {
    expect(validateOrThrow(v.number(), 3)).toBe(3);
  });

  it("reads every path from where the input sits in what the caller sent", () => {
    const error = catchError(() =>
      validateOrThrow(Schema, { name: 1, tags: [], nested: {} }, { at: "/query" }),
    );
    expect(error.path).toBe("/query/name");
    expect(error.message).toMatch(/^invalid input at \/query\/name: /);
    expect(error.details).toEqual({
      issues: [{ path: "/query/name", message: expect.any(String) }],
    });
  });

  it("names no path when the input itself is wrong", () => {
    const error = catchError(() => validateOrThrow(Schema, "x", { what: "body" }));
    expect(error.path).toBe("");
    expect(error.message).toMatch(/^invalid body: Invalid type: /);
  });
});

describe("validationError", () => {
  it("makes the same error from issues another validator found", () => {
    const issues = [
      { path: "/status", message: "bad status" },
      { path: "/name", message: "blank" },
    ];
    const error = validationError(issues, { what: "state", at: "/state" });
    expect(error.toData()).toEqual({
      code: "VALIDATION_FAILED",
      message: "invalid state at /state/status: bad status (and 1 more)",
      path: "/state/status",
      details: {
        issues: [
          { path: "/state/status", message: "bad status" },
          { path: "/state/name", message: "blank" },
        ],
      },
    });
  });
});
