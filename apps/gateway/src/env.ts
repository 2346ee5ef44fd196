/**
 * The gateway's bindings as the code may rely on them: what `wrangler types` generates, except
 * that `ADMIN_TOKEN` is a secret that may be missing (production refuses to serve without it),
 * and so is `LINEAR_WEBHOOK_SECRET` (the Linear webhook route answers 503 without it).
 */
export type Env = Omit<GatewayEnv, "ADMIN_TOKEN" | "LINEAR_WEBHOOK_SECRET"> & {
  ADMIN_TOKEN?: string;
  LINEAR_WEBHOOK_SECRET?: string;
};
