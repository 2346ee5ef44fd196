import type { Role } from "@chorus/core";
import type { Env } from "./env.ts";
import { HttpError } from "./problem.ts";
import { hashSecret, shardOfHash, TOKEN_PREFIX } from "./token-secret.ts";

/** Who is calling, as the bearer token says. */
export interface Identity {
  role: Role;
  /** the commit author: `admin`, `token:<name>`, or `agent:<agentId>` for an agent's token */
  author: string;
  /** the workflows the token is limited to; `null` for all */
  workflowIds: readonly string[] | null;
  /**
   * the SHA-256 of the bearer secret, by which {@link identifyCredential} checks it again later
   * (open streams, tickets); absent for anonymous callers
   */
  credential?: string;
  /** the agent an agent's token acts as: it may act as no other */
  agentId?: string;
}

const RANK: Readonly<Record<Role, number>> = { reader: 0, writer: 1, admin: 2 };
const REALM = 'Bearer realm="chorus"';

/**
 * Identifies the caller from `Authorization: Bearer <token>`: the `ADMIN_TOKEN` secret
 * (compared in constant time) or an issued token (looked up by its SHA-256 in its TokenStore
 * shard, every time, so revocation is immediate).
 * @param request the request
 * @param env the bindings
 * @returns the identity
 * @throws HttpError 401 when the token is missing or unknown
 */
export async function authenticate(request: Request, env: Env): Promise<Identity> {
  const header = request.headers.get("authorization");
  const match = header === null ? null : /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  const secret = match?.[1];
  if (secret === undefined) {
    throw new HttpError(401, "UNAUTHENTICATED", "send Authorization: Bearer <token>", {
      headers: { "www-authenticate": REALM },
    });
  }
  const admin = env.ADMIN_TOKEN;
  // An issued token is never the admin token unless the admin token has the issued prefix too:
  // only the prefix, which is public, decides whether the constant-time comparison runs.
  const couldBeAdmin = !secret.startsWith(TOKEN_PREFIX) || admin?.startsWith(TOKEN_PREFIX);
  if (admin !== undefined && admin !== "" && couldBeAdmin) {
    if (await sameSecret(secret, admin)) {
      return {
        role: "admin",
        author: "admin",
        workflowIds: null,
        credential: await hashSecret(secret),
      };
    }
  }
  if (secret.startsWith(TOKEN_PREFIX)) {
    const identity = await issuedIdentity(await hashSecret(secret), env);
    if (identity !== null) return identity;
  }
  throw new HttpError(401, "UNAUTHENTICATED", "the bearer token is not valid or was revoked", {
    headers: { "www-authenticate": `${REALM}, error="invalid_token"` },
  });
}

/**
 * Identifies a caller again by the SHA-256 of its bearer secret, without the secret: for a
 * ticket (which names the token it was issued to) and for a stream that must end when its
 * token is revoked.
 * @param credential {@link Identity.credential}
 * @param env the bindings
 * @returns the identity as of now, or `null` when the token no longer exists (revoked, or an
 *   `ADMIN_TOKEN` that was changed)
 */
export async function identifyCredential(credential: string, env: Env): Promise<Identity | null> {
  const admin = env.ADMIN_TOKEN;
  if (
    admin !== undefined &&
    admin !== "" &&
    (await sameSecret(credential, await hashSecret(admin)))
  ) {
    return { role: "admin", author: "admin", workflowIds: null, credential };
  }
  return issuedIdentity(credential, env);
}

async function issuedIdentity(hash: string, env: Env): Promise<Identity | null> {
  const store = env.TOKENS.get(env.TOKENS.idFromName(shardOfHash(hash)));
  const token = await store.lookup(hash);
  if (token === null) return null;
  const { role, workflowIds, agentId } = token;
  // An agent's token acts as that agent: its commits are the agent's, and it may act as no other.
  return agentId === undefined
    ? { role, author: `token:${token.name}`, workflowIds, credential: hash }
    : { role, author: `agent:${agentId}`, workflowIds, agentId, credential: hash };
}

/**
 * Checks that an identity may use a route.
 * @param identity the caller
 * @param required the least role the route needs
 * @param workflowId the workflow the route acts on, if any; a token limited to some workflows
 *   may use only routes of those workflows
 * @throws HttpError 403 otherwise
 */
export function authorize(
  identity: Identity,
  required: Role,
  workflowId: string | undefined,
): void {
  if (RANK[identity.role] < RANK[required]) {
    throw new HttpError(
      403,
      "FORBIDDEN",
      `this needs the ${required} role; the token is ${identity.role}`,
    );
  }
  if (identity.workflowIds === null) return;
  if (workflowId === undefined) {
    throw new HttpError(
      403,
      "FORBIDDEN",
      "a token limited to some workflows cannot use this route",
    );
  }
  if (!identity.workflowIds.includes(workflowId)) {
    throw new HttpError(403, "FORBIDDEN", `the token is not valid for workflow ${workflowId}`);
  }
}

/**
 * Checks only an identity's role, for routes that check a limited token's workflows themselves
 * against what the request names (the agent routes).
 * @param identity the caller
 * @param required the least role the route needs
 * @throws HttpError 403 otherwise
 */
export function authorizeRole(identity: Identity, required: Role): void {
  authorize({ ...identity, workflowIds: null }, required, undefined);
}

/** Compares two secrets in constant time: equal-length SHA-256 digests, then timingSafeEqual. */
async function sameSecret(presented: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(presented)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
