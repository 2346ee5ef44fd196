import * as v from "valibot";
import { Id, Timestamp } from "./fields.ts";
import { Role } from "./role.ts";

/** An API token's name, which becomes the commit author `token:<name>`. */
export const TokenName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9._:-]+$/, "Invalid name: only A-Z a-z 0-9 . _ : - are allowed"),
);

/** An API token's id: `tok_` and 17 hex digits, the first naming its shard. */
export const TokenId = v.pipe(
  v.string(),
  v.regex(/^tok_[0-9a-f]{17}$/, "Invalid token id: expected tok_ and 17 hex digits"),
);

/** An API token as listed: never its secret. */
export const TokenInfo = v.object({
  id: TokenId,
  name: TokenName,
  role: Role,
  /** the workflows it may touch; `null` for every workflow */
  workflowIds: v.nullable(v.array(Id)),
  createdAt: Timestamp,
});

/** An API token as listed: never its secret. */
export type TokenInfo = v.InferOutput<typeof TokenInfo>;

/** An API token just issued: the only time its secret is shown. */
export const IssuedToken = v.object({
  ...TokenInfo.entries,
  /** the bearer token; store it now, it cannot be shown again */
  token: v.pipe(v.string(), v.minLength(1)),
});

/** An API token just issued, with its secret. */
export type IssuedToken = v.InferOutput<typeof IssuedToken>;

/** Every API token, oldest first. */
export const TokenList = v.object({ tokens: v.array(TokenInfo) });

/** Every API token, oldest first. */
export type TokenList = v.InferOutput<typeof TokenList>;
