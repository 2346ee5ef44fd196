import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asciiJson, spliceJson } from "./json-splice.ts";

describe("spliceJson", () => {
  it("adds the member as the text it is given, after the others", () => {
    const text = '{"b":[1,2],"a":"x"}';
    const spliced = spliceJson({ version: 3, path: "" }, "state", text);
    expect(spliced).toBe(`{"version":3,"path":"","state":${text}}`);
    expect(JSON.parse(spliced)).toEqual({ version: 3, path: "", state: { a: "x", b: [1, 2] } });
  });

  it("makes an object of the member alone when there are no others", () => {
    expect(spliceJson({}, "state", "null")).toBe('{"state":null}');
  });

  it("writes the other members in ASCII, escaping what is past it, and leaves the text alone", () => {
    const data = { description: "t1 → done", author: "Zoë 🤖" };
    const spliced = spliceJson(data, "state", '"ünïcode stays"');
    expect(spliced).toBe(
      '{"description":"t1 \\u2192 done","author":"Zo\\u00eb \\ud83e\\udd16","state":"ünïcode stays"}',
    );
    expect(JSON.parse(spliced)).toEqual({ ...data, state: "ünïcode stays" });
  });

  it("reads back as the same values for any members and any JSON text", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue()),
        fc.string({ unit: "binary" }),
        fc.jsonValue(),
        (data, name, value) => {
          const { [name]: _shadowed, ...others } = data;
          const parsed = JSON.parse(spliceJson(others, name, JSON.stringify(value)));
          expect(parsed).toEqual(JSON.parse(JSON.stringify({ ...others, [name]: value })));
          expect(asciiJson(others)).toMatch(/^[ -~]*$/);
        },
      ),
    );
  });
});
