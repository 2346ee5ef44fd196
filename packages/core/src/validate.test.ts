import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { catchError } from "./testing/catch-error.ts";
import { validate, validateOrThrow } from "./validate.ts";

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
});

describe("validateOrThrow", () => {
  it("throws VALIDATION_FAILED naming the first issue and listing them all", () => {
    const error = catchError(() =>
      validateOrThrow(Schema, { name: "a", tags: [1, 2], nested: {} }, "thing"),
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
});
