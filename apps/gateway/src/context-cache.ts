import type { ContextView } from "@chorus/core";
import { TOKEN_ENCODING } from "./token-count.ts";

// A host no request can reach: the keys only name entries of this colo's cache.
const ORIGIN = "https://context-cache.chorus.internal";
/** Bumped whenever the selection rules change, so no older view is served. */
const RULES = "r1";
// A version never changes, so its view stays right; a day bounds what an unused one occupies.
const MAX_AGE_SECONDS = 86_400;

/** What a context view is cached under: the workflow, the version and the query. */
export interface ContextKey {
  workflowId: string;
  version: number;
  budget: number;
  focus: string | undefined;
}

/**
 * The per-version cache of context views, in the Workers Cache API: the same version, budget and
 * focus always give the same view (core's `buildContextView` is a function of them), so a view
 * made once is served again without reading the state. Entries are per colo and may be evicted;
 * a miss only costs the view's making.
 */
export class ContextCache {
  readonly #cache: Cache;

  /** @param cache the cache to use, `caches.default` in a worker */
  constructor(cache: Cache) {
    this.#cache = cache;
  }

  /** @returns the view cached under `key`, as JSON text, or `undefined` */
  async get(key: ContextKey): Promise<string | undefined> {
    const hit = await this.#cache.match(requestOf(key));
    return hit === undefined ? undefined : hit.text();
  }

  /**
   * Keeps a view under `key`.
   * @param key what it was made from
   * @param view the view
   */
  async put(key: ContextKey, view: ContextView): Promise<void> {
    const response = new Response(JSON.stringify(view), {
      headers: {
        "content-type": "application/json",
        "cache-control": `public, max-age=${MAX_AGE_SECONDS}`,
      },
    });
    await this.#cache.put(requestOf(key), response);
  }
}

function requestOf(key: ContextKey): Request {
  const url = new URL(
    `/${RULES}/${TOKEN_ENCODING}/${encodeURIComponent(key.workflowId)}/${key.version}`,
    ORIGIN,
  );
  url.searchParams.set("budget", String(key.budget));
  // `focus` absent and `focus=` (the whole state) are different views.
  if (key.focus !== undefined) url.searchParams.set("focus", key.focus);
  return new Request(url);
}
