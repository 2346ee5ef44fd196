import type { Conflict, ResolvedConflict } from "./conflict.ts";
import { hasOwn, type JsonObject, type JsonValue, setOwn } from "./json.ts";
import { type ElementId, elementId, indexById, mergeOrder } from "./merge-arrays.ts";
import { jsonKind, refuseNonJson, refuseTooDeep } from "./merge-check.ts";
import { checkChange, jsonEqual } from "./merge-equal.ts";
import { MergePosition } from "./merge-position.ts";
import { settle } from "./merge-settle.ts";
import { ABSENT, type Side, slot } from "./merge-side.ts";
import { entersAlike, plainlyChangedFrom, unchanged } from "./merge-unchanged.ts";
import type { PathRule, PathRuleMatcher } from "./path-rules.ts";
import { sameItems } from "./same-items.ts";
import type { RegisteredStrategy, WriterInfo } from "./strategies.ts";

/** What a walk needs from the merge options, resolved once. */
export interface WalkSettings {
  readonly maxDepth: number;
  /** Finds the first rule whose glob matches a path; `undefined` when there are no rules. */
  readonly match: PathRuleMatcher<PathRule & { readonly use: RegisteredStrategy }> | undefined;
  /** The strategy for paths no rule matches. */
  readonly fallback: RegisteredStrategy;
  /** Whether any strategy in play wants agreed changes too; if none does, none are offered. */
  readonly offersAgreements: boolean;
  readonly writers: WriterInfo;
}

// Whether `candidate` is the id of an element appended at the end: `only` when one was
// appended, `several` when more were (a Set is built only then).
function isAppended(
  candidate: unknown,
  only: ElementId | undefined,
  several: ReadonlySet<ElementId> | undefined,
): boolean {
  if (several !== undefined) return several.has(candidate as ElementId);
  return only !== undefined && candidate === only;
}

/**
 * One three-way merge in progress: walks base, ours and theirs together and collects what was
 * taken cleanly, what strategies resolved and what conflicts remain. Subtrees that are the same
 * reference on the sides compared are never entered, and merged containers equal to one side's
 * are that side's own object, so unchanged data is shared, never copied.
 */
export class MergeWalk {
  readonly clean: string[] = [];
  readonly resolved: ResolvedConflict[] = [];
  readonly conflicts: Conflict[] = [];
  readonly #settings: WalkSettings;
  // The path being merged and the innermost element id, read by checks and strategies.
  readonly #here: MergePosition;
  // The path's tokens (the position's own array); its length is the depth.
  readonly #tokens: string[];
  // The containers being merged above the current path, base, ours and theirs for each level
  // in turn (flat, so entering a level allocates nothing), to find cycles.
  readonly #open: JsonValue[] = [];
  // Whether the container holding the value being merged shares a member with base on both
  // sides (see #objects). A merge's root is where both sides changed something.
  #amidShared = true;

  /** @param settings the resolved merge options */
  constructor(settings: WalkSettings) {
    this.#settings = settings;
    this.#here = new MergePosition(settings.maxDepth, settings.writers);
    this.#tokens = this.#here.tokens;
  }

  /**
   * Merges the values at the current path.
   * @param base the common ancestor's value
   * @param ours our value
   * @param theirs their value
   * @returns the merged value, or {@link ABSENT} when it is deleted
   */
  at(base: Side, ours: Side, theirs: Side): Side {
    if (ours === theirs) return ours === base ? ours : this.#agreed(base, ours, theirs);
    if (ours === base) return this.#take(theirs, base);
    if (theirs === base) return this.#take(ours, base);
    // Sides parsed afresh share no reference with base, yet most of their subtrees equal it:
    // a bounded check keeps base's own value there without walking it key by key. Amid
    // shared members, though, a value both sides copied was copied to change it: the check
    // would only fail, and objects there put it off (it is pure) until a member could pass it.
    const putOff = this.#amidShared;
    if (!putOff && this.#unchanged(base, ours, theirs)) return base;
    const kind = jsonKind(base);
    if (kind === "object" && jsonKind(ours) === "object" && jsonKind(theirs) === "object") {
      return this.#objects(base as JsonObject, ours as JsonObject, theirs as JsonObject, putOff);
    }
    // The check enters only containers like base's (arrays of its length): others fail it.
    if (putOff && entersAlike(ours, base) && entersAlike(theirs, base)) {
      if (this.#unchanged(base, ours, theirs)) return base;
    }
    if (kind === undefined && base !== ABSENT) refuseNonJson(base, this.path());
    this.#kind(ours);
    this.#kind(theirs);
    // Equal but not identical (e.g. parsed afresh): only a change if they differ from base.
    if (this.#equal(ours, theirs)) {
      return this.#equal(ours, base) ? ours : this.#agreed(base, ours, theirs);
    }
    if (this.#equal(ours, base)) return this.#take(theirs, base);
    if (this.#equal(theirs, base)) return this.#take(ours, base);
    if (Array.isArray(base) && Array.isArray(ours) && Array.isArray(theirs)) {
      const merged = this.#byId(base, ours, theirs);
      if (merged !== undefined) return merged;
    }
    // An unresolved conflict keeps ours in place (`??` would wrongly skip a resolved `null`).
    const settled = this.#conflict(base, ours, theirs, this.#strategy());
    return settled === undefined ? ours : settled;
  }

  // `putOff` says whether the bounded check of `at` is still to be asked.
  #objects(base: JsonObject, ours: JsonObject, theirs: JsonObject, putOff: boolean): Side {
    this.#enter(base, ours, theirs);
    // Ours' keys in ours' order, then keys only theirs has, then keys both deleted. A side
    // with exactly ours' keys in ours' order (nearly always) owns each of them and adds none,
    // so its members are read by position, from one Object.values, with no own-key checks.
    const keys = Object.keys(ours);
    const oursOwn = keys.length;
    const theirsKeys = Object.keys(theirs);
    const baseKeys = Object.keys(base);
    const theirsAlike = sameItems(theirsKeys, keys);
    const baseAlike = sameItems(baseKeys, keys);
    let asked = !putOff;
    if (!asked && !(theirsAlike && baseAlike)) {
      asked = true;
      if (this.#unchanged(base, ours, theirs)) {
        this.#leave();
        return base;
      }
    }
    if (!theirsAlike) for (const key of theirsKeys) if (!hasOwn(ours, key)) keys.push(key);
    if (!baseAlike) {
      for (const key of baseKeys) if (!hasOwn(ours, key) && !hasOwn(theirs, key)) keys.push(key);
    }
    // Ours' values, overwritten position by position with the merged ones.
    const values: Side[] = Object.values(ours);
    const theirsValues = theirsAlike ? Object.values(theirs) : undefined;
    const baseValues = baseAlike ? Object.values(base) : undefined;
    let shares = false;
    let isOurs = true;
    let isTheirs = true;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const inOurs = i < oursOwn;
      const mine = inOurs ? (values[i] as JsonValue) : ABSENT;
      const other =
        theirsValues !== undefined && inOurs ? (theirsValues[i] as JsonValue) : slot(theirs, key);
      const before =
        baseValues !== undefined && inOurs ? (baseValues[i] as JsonValue) : slot(base, key);
      // A member all three share by reference merges to itself.
      if (mine === before && other === before) {
        shares ||= typeof mine === "object" && mine !== null;
        continue;
      }
      // The first member not all three share is where the check put off is asked: a member
      // from here on that plainly differs answers it without its walk.
      if (!asked) {
        asked = true;
        const depthLeft = this.#settings.maxDepth - this.#tokens.length;
        const lined = baseValues !== undefined && theirsValues !== undefined;
        if (
          !(lined && plainlyChangedFrom(i, baseValues, values, theirsValues, depthLeft)) &&
          this.#unchanged(base, ours, theirs)
        ) {
          this.#leave();
          return base;
        }
      }
      this.#tokens.push(key);
      this.#amidShared = shares;
      const value = this.at(before, mine, other);
      this.#tokens.pop();
      isOurs &&= value === mine;
      isTheirs &&= value === other;
      if (inOurs) values[i] = value;
      else values.push(value);
    }
    this.#leave();
    // Every member was shared by all three: only the check put off can still answer base.
    if (!asked && this.#unchanged(base, ours, theirs)) return base;
    if (isOurs) return ours;
    if (isTheirs) return theirs;
    const merged: JsonObject = {};
    for (let i = 0; i < keys.length; i++) {
      const value = values[i];
      if (value !== ABSENT && value !== undefined) setOwn(merged, keys[i] as string, value);
    }
    return merged;
  }

  // Merges arrays of id-keyed objects element by element; `undefined` when they are not such.
  #byId(base: JsonValue[], ours: JsonValue[], theirs: JsonValue[]): Side | undefined {
    const aligned = this.#aligned(base, ours, theirs);
    if (aligned !== undefined) return aligned;
    const baseById = indexById(base);
    const oursById = indexById(ours);
    const theirsById = indexById(theirs);
    if (baseById === undefined || oursById === undefined || theirsById === undefined) return;
    this.#enter(base, ours, theirs);
    const merged: JsonValue[] = [];
    const outer = this.#here.id;
    for (const id of mergeOrder(baseById, oursById, theirsById)) {
      const b = baseById.get(id) ?? ABSENT;
      this.#element(merged, b, oursById.get(id) ?? ABSENT, theirsById.get(id) ?? ABSENT, id);
    }
    this.#here.id = outer;
    this.#leave();
    if (sameItems(merged, ours)) return ours;
    return sameItems(merged, theirs) ? theirs : merged;
  }

  // The common case of a few edits to a long id-keyed array: neither side removed or reordered
  // what base had, and at most one side appended. The arrays then line up index by index, so
  // only positions that differ are merged and the rest is shared, without indexing every id.
  // The result is what merging by id gives; anything else falls back to that general path.
  #aligned(base: JsonValue[], ours: JsonValue[], theirs: JsonValue[]): Side | undefined {
    const n = base.length;
    if (n === 0 || ours.length < n || theirs.length < n) return undefined;
    if (ours.length > n && theirs.length > n) return undefined;
    const oursAppended = ours.length > n;
    const longer = oursAppended ? ours : theirs;
    let only: ElementId | undefined;
    let several: Set<ElementId> | undefined;
    for (let i = n; i < longer.length; i++) {
      const id = elementId(longer[i] as JsonValue);
      if (id === undefined || isAppended(id, only, several)) return undefined;
      if (only === undefined) only = id;
      else if (several === undefined) several = new Set([only, id]);
      else several.add(id);
    }
    // One pass over base. A run all three sides share by reference was left in place by both,
    // so it needs no key; only an element appended with an id base already has would be
    // ambiguous. Every element a side changed must keep its key at its index.
    let shares = false;
    for (let i = 0; i < n; i++) {
      const b = base[i] as JsonValue;
      const o = ours[i] as JsonValue;
      const t = theirs[i] as JsonValue;
      if (o === b && t === b) {
        shares = true;
        if (only === undefined) continue;
        const candidate = typeof b === "object" && b !== null ? (b as JsonObject).id : undefined;
        if (candidate === undefined || !isAppended(candidate, only, several)) continue;
        return undefined;
      }
      const id = elementId(b);
      if (id === undefined || isAppended(id, only, several)) return undefined;
      if ((o !== b && elementId(o) !== id) || (t !== b && elementId(t) !== id)) return undefined;
    }

    this.#enter(base, ours, theirs);
    // Base's elements in place, so runs all three sides share are copied at once; `kept` of
    // them are written so far (fewer than visited once a strategy removes one). While none is
    // removed, `isOurs` and `isTheirs` say whether they are ours' and theirs' own elements.
    const merged = base.slice();
    let kept = 0;
    let isOurs = true;
    let isTheirs = true;
    const outer = this.#here.id;
    for (let i = 0; i < n; i++) {
      const b = base[i] as JsonValue;
      const o = ours[i] as JsonValue;
      const t = theirs[i] as JsonValue;
      if (o === b && t === b) {
        if (kept !== i) merged[kept] = b;
        kept++;
        continue;
      }
      // The element's path token is its index in the merged output.
      this.#tokens.push(String(kept));
      this.#here.id = elementId(b);
      this.#amidShared = shares;
      const value = this.at(b, o, t);
      this.#tokens.pop();
      if (value === ABSENT) continue;
      merged[kept++] = value;
      isOurs &&= value === o;
      isTheirs &&= value === t;
    }
    if (kept < n) merged.length = kept;
    for (let i = n; i < longer.length; i++) {
      const element = longer[i] as JsonValue;
      const o = oursAppended ? element : ABSENT;
      this.#element(merged, ABSENT, o, oursAppended ? ABSENT : element, elementId(element));
    }
    this.#here.id = outer;
    this.#leave();
    if (kept < n) {
      if (sameItems(merged, ours)) return ours;
      return sameItems(merged, theirs) ? theirs : merged;
    }
    if (isOurs && sameItems(merged, ours, n)) return ours;
    return isTheirs && sameItems(merged, theirs, n) ? theirs : merged;
  }

  // Merges one element of an id-keyed array onto the end of `merged`. Its path token is its
  // index in the merged output, or where it would stand had it been kept.
  #element(
    merged: JsonValue[],
    base: Side,
    ours: Side,
    theirs: Side,
    id: ElementId | undefined,
  ): void {
    this.#tokens.push(String(merged.length));
    this.#here.id = id;
    this.#amidShared = false;
    const value = this.at(base, ours, theirs);
    this.#tokens.pop();
    if (value !== ABSENT) merged.push(value);
  }

  // Both sides made the same change: it stands, unless a strategy that settles agreements
  // (such as `sum`) applies here and resolves it.
  #agreed(base: Side, ours: Side, theirs: Side): Side {
    if (this.#settings.offersAgreements) {
      const strategy = this.#strategy();
      if (strategy.settlesAgreements) {
        const settled = this.#conflict(base, ours, theirs, strategy, false);
        if (settled !== undefined) return settled;
      }
    }
    return this.#take(ours, base);
  }

  // Runs the strategy on a conflict; `undefined` when it declines. A declined conflict is
  // recorded only when `record` is set (agreements that stand are clean, not conflicts).
  #conflict(
    base: Side,
    ours: Side,
    theirs: Side,
    strategy: RegisteredStrategy,
    record = true,
  ): Side | undefined {
    const { conflict, outcome } = settle(strategy, base, ours, theirs, this.#here);
    if (!outcome.resolved) {
      if (record) this.conflicts.push(conflict);
      return undefined;
    }
    this.resolved.push({ ...conflict, strategy: strategy.name });
    return "remove" in outcome ? ABSENT : outcome.value;
  }

  // Takes one side's change (or both sides' agreed one), checking what it does not share with base.
  #take(side: Side, base: Side): Side {
    if (side !== ABSENT) checkChange(side, base, this.#here);
    this.clean.push(this.#here.path);
    return side;
  }

  #strategy(): RegisteredStrategy {
    const { match, fallback } = this.#settings;
    return match === undefined ? fallback : (match(this.#tokens)?.use ?? fallback);
  }

  #unchanged(base: Side, ours: Side, theirs: Side): boolean {
    return unchanged(base, ours, theirs, this.#settings.maxDepth - this.#tokens.length);
  }

  #equal(a: Side, b: Side): boolean {
    if (a === ABSENT || b === ABSENT) return a === b;
    return jsonEqual(a, b, this.#here);
  }

  #kind(side: Side): void {
    if (side !== ABSENT && jsonKind(side) === undefined) refuseNonJson(side, this.path());
  }

  // Containers are entered only above the depth limit, which also bounds the recursion.
  #enter(base: JsonValue, ours: JsonValue, theirs: JsonValue): void {
    const { maxDepth } = this.#settings;
    if (this.#tokens.length >= maxDepth) {
      const open = [...this.#open, base, ours, theirs];
      const lines = [0, 1, 2].map((side) => open.filter((_, i) => i % 3 === side));
      refuseTooDeep(lines, this.#tokens, "", maxDepth);
    }
    this.#open.push(base, ours, theirs);
  }

  // Three pops rather than shortening by three: setting an array's length is a runtime call.
  #leave(): void {
    this.#open.pop();
    this.#open.pop();
    this.#open.pop();
  }

  /** @returns the pointer the walk is at: where it stopped, after an error */
  path(): string {
    return this.#here.path;
  }
}
