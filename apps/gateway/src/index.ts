import { settleBody } from "./early-answer.ts";
import type { Env } from "./env.ts";
import type { Route } from "./route.ts";
import { routeTable } from "./route-table.ts";
import { createRouter } from "./router.ts";

export { TokenStore } from "./token-store.ts";

// A worker's bindings are fixed for its deployment, so in practice this holds one router.
const routers = new WeakMap<readonly Route[], ReturnType<typeof createRouter>>();

/** The gateway: every request goes through the router built from its bindings' route table. */
export default {
  async fetch(request, env, ctx): Promise<Response> {
    const table = routeTable(env);
    let router = routers.get(table);
    if (router === undefined) {
      router = createRouter(table);
      routers.set(table, router);
    }
    // An answer given before the body was read (401, 404, 405, 413, 415, …) reads it now.
    return settleBody(request, await router.fetch(request, env, ctx));
  },
} satisfies ExportedHandler<Env>;
