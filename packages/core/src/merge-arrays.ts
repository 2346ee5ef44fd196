import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from "./json.ts";

/** The id of an element of an id-keyed array. */
export type ElementId = string | number;

/**
 * The id an element has as part of an id-keyed array: its own string or finite number `id`.
 * @param element an array element
 * @returns its id, or `undefined` when it is not an object with such an id
 * @example
 * elementId({ id: "t1" }); // "t1"
 * elementId({ id: Number.NaN }); // undefined
 */
export function elementId(element: JsonValue): ElementId | undefined {
  if (typeof element !== "object" || element === null || Array.isArray(element)) return undefined;
  const id = (element as JsonObject).id;
  if (typeof id === "string") return Object.hasOwn(element, "id") ? id : undefined;
  return typeof id === "number" && Number.isFinite(id) && Object.hasOwn(element, "id")
    ? id
    : undefined;
}

/**
 * Indexes an array whose elements are all objects carrying a unique string or finite number `id`
 * (`"1"` and `1` are different ids).
 * @param array the array
 * @returns the elements by id, in array order, or `undefined` when the array is not id-keyed
 * @example
 * indexById([{ id: "a" }, { id: 2 }]); // Map { "a" => { id: "a" }, 2 => { id: 2 } }
 * indexById([{ id: "a" }, { id: "a" }]); // undefined
 */
export function indexById(array: readonly JsonValue[]): Map<ElementId, JsonValue> | undefined {
  const byId = new Map<ElementId, JsonValue>();
  for (const element of array) {
    if (!isJsonObject(element) || !hasOwn(element, "id")) return undefined;
    const id = element.id;
    if (typeof id !== "string" && !(typeof id === "number" && Number.isFinite(id))) {
      return undefined;
    }
    if (byId.has(id)) return undefined;
    byId.set(id, element);
  }
  return byId;
}

/**
 * Orders the ids of a merge by id: ours' ids in ours' order, then the ids only theirs has in
 * theirs' order, then the ids only base has (deleted on both sides, kept in the list so their
 * deletion is reported). When theirs reordered the elements it shares with base and ours did
 * not, the roles swap, so a one-sided reorder survives: theirs' order first, then ours' ids.
 * When both reordered, ours' order wins.
 * @param base the base elements by id
 * @param ours ours' elements by id
 * @param theirs theirs' elements by id
 * @returns every id of the three sides once, in merge order
 * @example
 * const ids = (...list: string[]) => new Map(list.map((id) => [id, { id }]));
 * mergeOrder(ids("a", "b"), ids("a", "b", "c"), ids("b", "d")); // ["a", "b", "c", "d"]
 */
export function mergeOrder(
  base: ReadonlyMap<ElementId, unknown>,
  ours: ReadonlyMap<ElementId, unknown>,
  theirs: ReadonlyMap<ElementId, unknown>,
): ElementId[] {
  const theirsFirst = reordered(theirs, base) && !reordered(ours, base);
  const [first, second] = theirsFirst ? [theirs, ours] : [ours, theirs];
  const order = [...first.keys()];
  for (const id of second.keys()) if (!first.has(id)) order.push(id);
  for (const id of base.keys()) if (!first.has(id) && !second.has(id)) order.push(id);
  return order;
}

// Whether a side changed the relative order of the elements it shares with base.
function reordered(
  side: ReadonlyMap<ElementId, unknown>,
  base: ReadonlyMap<ElementId, unknown>,
): boolean {
  const shared = [...base.keys()].filter((id) => side.has(id));
  let i = 0;
  for (const id of side.keys()) {
    if (!base.has(id)) continue;
    if (shared[i++] !== id) return true;
  }
  return false;
}
