import type { StreamTicket } from "@chorus/core";
import { authenticate, type Identity, identifyCredential } from "./auth.ts";
import type { Env } from "./env.ts";
import { HttpError } from "./problem.ts";
import { hashSecret, newSecret, shardOfHash } from "./token-secret.ts";

/** Every stream ticket starts with this; it is no bearer token, and no route takes it as one. */
export const TICKET_PREFIX = "chorus_ticket_";

/** How long a ticket may wait to be used. */
export const TICKET_TTL_MS = 60_000;

const INVALID = { "www-authenticate": 'Bearer realm="chorus", error="invalid_token"' };

/**
 * What a ticket opens in place of a workflow id: the overview's live socket. No workflow id is
 * empty, so it can open no workflow's streams.
 */
const OVERVIEW_SCOPE = "";

/**
 * Issues a single-use ticket for a workflow's streams (or, without a workflow, the overview's
 * live socket), bound to the caller's token: browsers cannot set `Authorization` on
 * `EventSource` or `WebSocket`, and a token must never travel in a URL, so they send this
 * instead, as `?ticket=`.
 * @param env the bindings
 * @param identity the caller, authenticated by its bearer token
 * @param workflowId the workflow whose streams the ticket opens; `undefined` for the overview
 * @returns the ticket (shown once; only its SHA-256 is stored) and when it expires
 */
export async function issueTicket(
  env: Env,
  identity: Identity,
  workflowId: string | undefined,
): Promise<StreamTicket> {
  if (identity.credential === undefined) {
    throw new HttpError(401, "UNAUTHENTICATED", "send Authorization: Bearer <token>");
  }
  const ticket = newSecret(TICKET_PREFIX);
  const hash = await hashSecret(ticket);
  const expiresAt = Date.now() + TICKET_TTL_MS;
  await storeOf(env, hash).addTicket({
    hash,
    credential: identity.credential,
    workflowId: workflowId ?? OVERVIEW_SCOPE,
    expiresAt,
  });
  return { ticket, expiresAt };
}

/**
 * Authenticates a stream request: by `?ticket=` when it has one (the ticket is used up, even
 * when it is refused), else by `Authorization: Bearer` as every route does.
 * @param request the request
 * @param env the bindings
 * @param workflowId the workflow of the route; `undefined` for the overview's
 * @returns the identity of the token the ticket was issued to, as that token is now
 * @throws HttpError 401 for an unknown, used or expired ticket or a revoked token; 403 for a
 *   ticket issued for another workflow (or for the overview, or for a workflow at the overview)
 */
export async function authenticateStream(
  request: Request,
  env: Env,
  workflowId: string | undefined,
): Promise<Identity> {
  const tickets = new URL(request.url).searchParams.getAll("ticket");
  if (tickets.length === 0) return authenticate(request, env);
  const [ticket] = tickets;
  if (tickets.length > 1 || ticket === undefined || !ticket.startsWith(TICKET_PREFIX)) {
    const from = workflowId === undefined ? "/api/overview" : "/api/workflows/{id}";
    throw refused(`send one ticket from POST ${from}/tickets`);
  }
  const hash = await hashSecret(ticket);
  const taken = await storeOf(env, hash).takeTicket(hash);
  if (!taken.found) throw refused("the ticket is not valid, or was used already");
  if (taken.expired)
    throw refused(`the ticket expired; a ticket is valid for ${TICKET_TTL_MS / 1000} s`);
  if (taken.workflowId !== (workflowId ?? OVERVIEW_SCOPE)) {
    const meant =
      taken.workflowId === OVERVIEW_SCOPE ? "the overview" : `workflow ${taken.workflowId}`;
    throw new HttpError(403, "FORBIDDEN", `the ticket is for ${meant}`);
  }
  const identity = await identifyCredential(taken.credential, env);
  if (identity === null) throw refused("the token the ticket was issued to was revoked");
  return identity;
}

function refused(message: string): HttpError {
  return new HttpError(401, "UNAUTHENTICATED", message, {
    errors: [{ path: "/query/ticket", message }],
    headers: INVALID,
  });
}

function storeOf(env: Env, hash: string) {
  return env.TOKENS.get(env.TOKENS.idFromName(shardOfHash(hash)));
}
