import { describe, expect, it } from "vitest";
import { Utf8Scratch } from "../src/utf8-scratch.ts";

const encoded = (text: string) => new TextEncoder().encode(text);

describe("Utf8Scratch", () => {
  it("encodes ASCII, two-, three- and four-byte characters exactly as TextEncoder does", () => {
    const scratch = new Utf8Scratch();
    for (const text of ["", "plain", "é", "t1 → done", "🤖 review", `${"x".repeat(1000)}→`]) {
      expect(scratch.encode(text)).toEqual(encoded(text));
    }
  });

  it("grows for text longer or wider than anything before, and reuses its buffer after", () => {
    const scratch = new Utf8Scratch();
    const small = scratch.encode("ab");
    // All three-byte characters: past the first guess of two bytes per code unit.
    const wide = "→".repeat(50_000);
    expect(scratch.encode(wide)).toEqual(encoded(wide));
    const again = scratch.encode("cd");
    expect(again).toEqual(encoded("cd"));
    expect(again.buffer).not.toBe(small.buffer);
    // The next call overwrites what the last returned: the contract callers keep to.
    const first = scratch.encode("xy");
    expect(first.buffer).toBe(again.buffer);
    scratch.encode("zz");
    expect(new TextDecoder().decode(first)).toBe("zz");
  });
});
