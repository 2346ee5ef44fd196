/**
 * Builds `{...data, [name]: <text>}` as JSON text, with `text` (already JSON) spliced in as it
 * is: a state read passes the stored canonical text on without parsing or serializing it.
 *
 * Characters outside ASCII in `data` are written as `\u` escapes, which JSON reads as the same
 * value. The reason is speed, not correctness: joined to a non-ASCII string, the whole answer
 * (most of it the spliced text) becomes a two-byte string, and workerd then writes a 100 KB
 * state out about 1 ms slower than the same answer in one-byte form (measured in commit
 * 55424f8). A version's description or author is where such characters usually are.
 * @param data the other members; must serialize to a JSON object
 * @param name the spliced member's name
 * @param text the member's value, as JSON text
 * @returns the JSON text of the object
 */
export function spliceJson(data: Record<string, unknown>, name: string, text: string): string {
  const head = asciiJson(data);
  const member = `${asciiJson(name)}:${text}`;
  return head === "{}" ? `{${member}}` : `${head.slice(0, -1)},${member}}`;
}

const NON_ASCII = /[\u0080-\uffff]/g;

/** @returns `JSON.stringify(value)` with every character past ASCII as a `\u` escape */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    NON_ASCII,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
