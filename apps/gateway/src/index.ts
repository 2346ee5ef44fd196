import type { Env } from "./env.ts";
import { ROUTES } from "./route-table.ts";
import { createRouter } from "./router.ts";

export { TokenStore } from "./token-store.ts";

const router = createRouter(ROUTES);

/** The gateway: every request goes through the router built from the route table. */
export default {
  fetch: (request, env, ctx): Promise<Response> => router.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
