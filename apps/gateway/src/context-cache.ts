import { CONTEXT_VIEW_REVISION } from "@chorus/core";

// A host no request can reach: the keys only name entries of this colo's cache.
const ORIGIN = "https://context-cache.chorus.internal";
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
 * The gateway's per-version cache of context views, in the Workers Cache API, in front of the
 * workflow's Context Optimizer (apps/agents): the same version, budget and focus always give the
 * same view, so a view answered once is served again from this colo without the hop to the
 * agents worker and its object. Entries are per colo and may be evicted; a miss asks the
 * optimizer, which keeps every view it built in its own store.
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
   * @param view the view as JSON text
   */
  async put(key: ContextKey, view: string): Promise<void> {
    const response = new Response(view, {
      headers: {
        "content-type": "application/json",
        "cache-control": `public, max-age=${MAX_AGE_SECONDS}`,
      },
    });
    await this.#cache.put(requestOf(key), response);
  }
}

function requestOf(key: ContextKey): Request {
  // The revision names the selection rules and the encoding: a change of either is a new key.
  const url = new URL(
    `/${CONTEXT_VIEW_REVISION}/${encodeURIComponent(key.workflowId)}/${key.version}`,
    ORIGIN,
  );
  url.searchParams.set("budget", String(key.budget));
  // `focus` absent and `focus=` (the whole state) are different views.
  if (key.focus !== undefined) url.searchParams.set("focus", key.focus);
  return new Request(url);
}
