import { type CanonicalizeOptions, canonicalize } from "./canonical-json.ts";
import { isWellFormed, LONE_SURROGATE } from "./canonical-order.ts";
import { ChorusError } from "./errors.ts";
import { DEFAULT_MAX_DEPTH, type JsonValue } from "./json.ts";
import { escapeToken } from "./pointer.ts";

/**
 * Canonical JSON (RFC 8785) for states that change a little at a time. A new version made by
 * core's `applyPatch` shares every untouched subtree with its parent, so the canonical text of
 * those subtrees is remembered per object and reused: canonicalizing the next version costs what
 * the change touched plus the member names on the way to it, not the whole document.
 *
 * Only for values that are never mutated after they are first canonicalized (the state
 * manager's committed states): the text is keyed by object identity.
 */
export class CanonicalCache {
  readonly #texts = new WeakMap<object, string>();
  // The upper levels' texts of the last few objects written member by member, strongly held
  // and bounded: a commit that leaves `tasks` alone reuses its text whole.
  readonly #recent = new Map<object, string>();
  readonly #names = new Map<string, string>();
  readonly #levels: number;

  /**
   * @param options `levels`: how many levels of objects are written member by member; below
   *   that, a subtree is canonicalized whole and its text remembered. The default, 2, suits a
   *   workflow state: the document, then `tasks` and `agents` keyed by id, then each task on
   *   its own.
   */
  constructor(options: { levels?: number } = {}) {
    this.#levels = options.levels ?? 2;
  }

  /**
   * @param value a JSON value, never to be mutated afterwards
   * @param options `maxDepth`, as for {@link canonicalize}
   * @returns its canonical text, exactly what {@link canonicalize} returns
   * @throws ChorusError `INVALID_JSON` or `TOO_DEEP`, naming the offending path
   */
  text(value: JsonValue, options: CanonicalizeOptions = {}): string {
    return this.#text(value, 0, "", options.maxDepth ?? DEFAULT_MAX_DEPTH);
  }

  #text(value: JsonValue, level: number, path: string, maxDepth: number): string {
    if (typeof value !== "object" || value === null) return within(path, () => canonicalize(value));
    const proto = Object.getPrototypeOf(value);
    const byMember =
      level < this.#levels &&
      level < maxDepth &&
      !Array.isArray(value) &&
      (proto === Object.prototype || proto === null);
    // The subtrees below the member-by-member levels are remembered for as long as they live;
    // the texts above them are as large as the state, so only the last few are kept: one per
    // version would hold megabytes of strings that the next version's texts replace anyway.
    if (byMember) {
      const recent = this.#recent.get(value);
      if (recent !== undefined) {
        // Least recently used goes first: a `tasks` left alone for many versions stays.
        this.#recent.delete(value);
        this.#recent.set(value, recent);
        return recent;
      }
      const text = this.#members(value, level, path, maxDepth);
      if (this.#recent.size >= RECENT_TEXTS) {
        const oldest = this.#recent.keys().next().value;
        if (oldest !== undefined) this.#recent.delete(oldest);
      }
      this.#recent.set(value, text);
      return text;
    }
    const known = this.#texts.get(value);
    if (known !== undefined) return known;
    const text = within(path, () => canonicalize(value, { maxDepth: maxDepth - level }));
    this.#texts.set(value, text);
    return text;
  }

  #members(value: { [key: string]: JsonValue }, level: number, path: string, maxDepth: number) {
    // RFC 8785 §3.2.3: names sorted by UTF-16 code units, which is the default sort order.
    const names = Object.keys(value).sort();
    let out = "{";
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const member = this.#member(name, path);
      const child = value[name] as JsonValue;
      // A remembered subtree is written as it was; only a text made now can fail, so the path
      // is built for that case alone.
      const known =
        typeof child === "object" && child !== null ? this.#texts.get(child) : undefined;
      const text = known ?? this.#text(child, level + 1, `${path}/${escapeToken(name)}`, maxDepth);
      out += `${i === 0 ? "" : ","}${member}${text}`;
    }
    return `${out}}`;
  }

  /** @returns `"name":`, remembered: a workflow's member names recur in every version */
  #member(name: string, path: string): string {
    let written = this.#names.get(name);
    if (written !== undefined) return written;
    if (!isWellFormed.call(name)) {
      throw new ChorusError("INVALID_JSON", LONE_SURROGATE, {
        path: `${path}/${escapeToken(name)}`,
      });
    }
    written = `${JSON.stringify(name)}:`;
    // Bounded: a state whose names never repeat would otherwise grow this without end.
    if (this.#names.size >= MAX_NAMES) this.#names.clear();
    this.#names.set(name, written);
    return written;
  }
}

/**
 * How many texts of objects written member by member a {@link CanonicalCache} keeps: the
 * document and its `tasks` and `agents` of the last version or two.
 */
const RECENT_TEXTS = 8;

/** How many member names a {@link CanonicalCache} remembers the written form of. */
const MAX_NAMES = 10_000;

// Errors from a subtree name paths inside it: prefix where the subtree sits.
function within(path: string, write: () => string): string {
  if (path === "") return write();
  try {
    return write();
  } catch (error) {
    throw error instanceof ChorusError ? error.under(path) : error;
  }
}
