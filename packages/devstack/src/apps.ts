import { fileURLToPath } from "node:url";

/** The repository root: `.wrangler/state` and `.wrangler/bundles` live here. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** One Chorus worker the stack serves. */
export interface StackApp {
  /** directory under `apps/` */
  dir: string;
  /** absolute path of its `wrangler.jsonc` */
  config: string;
}

// The gateway comes first: Miniflare routes every HTTP request to the first worker, and the
// others are reached only through its service bindings.
const ORDER = ["gateway", "coordinator", "state-manager", "agents"] as const;

/** The workers of the stack, the public one (the gateway) first. */
export const STACK_APPS: readonly StackApp[] = ORDER.map((dir) => ({
  dir,
  config: fileURLToPath(new URL(`../../../apps/${dir}/wrangler.jsonc`, import.meta.url)),
}));
