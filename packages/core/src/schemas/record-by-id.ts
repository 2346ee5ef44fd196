import * as v from "valibot";
import { isJsonObject } from "../json.ts";
import { Id } from "./fields.ts";

// valibot's record() silently drops these keys (they would reach the prototype), so a task or
// agent filed under one would vanish from the state; refusing it is the honest answer.
const RESERVED = ["__proto__", "constructor", "prototype"];

/**
 * A JSON object that files items under their own `id`, as a state's tasks and agents are:
 * `{ t1: { id: "t1", … } }`. An item whose `id` differs from its key is an issue at its `id`.
 * @param item the schema of one item
 * @returns the record schema
 * @example
 * const Tasks = recordById(Task);
 */
export function recordById<const TItem extends v.GenericSchema<unknown, { id: string }>>(
  item: TItem,
): v.GenericSchema<Record<string, unknown>, Record<string, v.InferOutput<TItem>>> {
  return v.pipe(
    v.custom<Record<string, unknown>>(isJsonObject, "Invalid type: Expected an object keyed by id"),
    v.rawCheck(({ dataset, addIssue }) => {
      const input = dataset.value;
      if (!isJsonObject(input)) return;
      for (const key of RESERVED) {
        if (!Object.hasOwn(input, key)) continue;
        const value = input[key];
        addIssue({
          message: `Invalid key: "${key}" cannot be an id`,
          path: [{ type: "object", origin: "key", input, key, value }],
        });
      }
    }),
    v.record(Id, item),
    v.rawCheck(({ dataset, addIssue }) => {
      // Runs even when some items failed, so it reads what it finds without trusting types.
      const input: unknown = dataset.value;
      if (!isJsonObject(input)) return;
      for (const [key, value] of Object.entries(input)) {
        if (!isJsonObject(value)) continue;
        const id = value.id;
        if (typeof id !== "string" || id === key) continue;
        addIssue({
          message: `Invalid id: Expected "${key}", the key it is filed under, but received "${id}"`,
          path: [
            { type: "object", origin: "value", input, key, value },
            { type: "object", origin: "value", input: value, key: "id", value: id },
          ],
        });
      }
    }),
  );
}
