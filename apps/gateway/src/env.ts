/**
 * The gateway's bindings as the code may rely on them: what `wrangler types` generates, except
 * that `ADMIN_TOKEN` is a secret that may be missing (production refuses to serve without it).
 */
export type Env = Omit<GatewayEnv, "ADMIN_TOKEN"> & { ADMIN_TOKEN?: string };
