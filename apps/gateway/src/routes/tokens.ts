import { IssuedToken, type TokenInfo, TokenList } from "@chorus/core";
import { HttpError } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { TokenPath } from "../schemas/params.ts";
import { NewToken } from "../schemas/tokens.ts";
import {
  allTokenShards,
  hashSecret,
  newSecret,
  newTokenId,
  shardOfHash,
  shardOfId,
} from "../token-secret.ts";

/** `POST /api/tokens`: issue a token; its secret is shown this once. */
export const createToken = defineRoute({
  method: "POST",
  path: "/api/tokens",
  operationId: "createToken",
  summary: "Issue an API token",
  description:
    "Returns the secret once; only its SHA-256 is stored. `workflowIds` limits the token to " +
    "those workflows' routes. Commits made with it are authored `token:<name>`.",
  tag: "tokens",
  access: "admin",
  body: { schema: NewToken },
  responses: {
    201: {
      description: "The token and its secret",
      schema: IssuedToken,
      headers: { Location: "the token" },
    },
  },
  async handle({ env, body }) {
    const token = newSecret();
    const hash = await hashSecret(token);
    const info: TokenInfo = {
      id: newTokenId(hash),
      name: body.name,
      role: body.role,
      workflowIds: body.workflowIds ?? null,
      createdAt: Date.now(),
    };
    await env.TOKENS.get(env.TOKENS.idFromName(shardOfHash(hash))).insert({ ...info, hash });
    return json({ ...info, token }, 201, { location: `/api/tokens/${info.id}` });
  },
});

/** `GET /api/tokens`: every token, without secrets. */
export const listTokens = defineRoute({
  method: "GET",
  path: "/api/tokens",
  operationId: "listTokens",
  summary: "List API tokens",
  tag: "tokens",
  access: "admin",
  responses: { 200: { description: "Oldest first, never the secrets", schema: TokenList } },
  async handle({ env }) {
    const shards = await Promise.all(
      allTokenShards().map((name) => env.TOKENS.get(env.TOKENS.idFromName(name)).list()),
    );
    const tokens = shards
      .flat()
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return json({ tokens });
  },
});

/** `DELETE /api/tokens/{tokenId}`: revoke a token, effective on its next request. */
export const revokeToken = defineRoute({
  method: "DELETE",
  path: "/api/tokens/:tokenId",
  operationId: "revokeToken",
  summary: "Revoke an API token",
  tag: "tokens",
  access: "admin",
  params: TokenPath,
  responses: { 204: { description: "Revoked" } },
  async handle({ env, params }) {
    const store = env.TOKENS.get(env.TOKENS.idFromName(shardOfId(params.tokenId)));
    if (!(await store.revoke(params.tokenId))) {
      throw new HttpError(404, "NOT_FOUND", `no token has the id ${params.tokenId}`, {
        errors: [{ path: "/params/tokenId", message: "no such token" }],
      });
    }
    return new Response(null, { status: 204 });
  },
});
