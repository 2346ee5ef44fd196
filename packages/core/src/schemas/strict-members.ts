import * as v from "valibot";

/**
 * A strict object (unknown members are refused, not dropped) whose refusal says what is wrong
 * and what to do: the unknown member's name, the members the object has, and where content of
 * one's own belongs. Every other issue keeps valibot's words. Valibot alone says
 * `Invalid key: Expected never but received "x"`, which tells a newcomer neither.
 * @param name the schema's name, as the message calls it, e.g. `WorkflowState`
 * @param entries its members
 * @param hint what to do instead, e.g. `free-form content goes under /data`
 * @returns the schema
 * @example
 * const Point = strictMembers("Point", { x: v.number(), y: v.number() }, "labels go elsewhere");
 * // { x: 1, y: 2, z: 3 } → `unknown member "z": Point has x, y; labels go elsewhere`
 */
export function strictMembers<const TEntries extends v.ObjectEntries>(
  name: string,
  entries: TEntries,
  hint: string,
): v.StrictObjectSchema<TEntries, (issue: v.StrictObjectIssue) => string> {
  const members = Object.keys(entries).join(", ");
  return v.strictObject(entries, (issue) =>
    // valibot reports an unknown member as a key issue that expects `never`.
    issue.expected === "never"
      ? `unknown member ${issue.received}: ${name} has ${members}; ${hint}`
      : issue.message,
  );
}
