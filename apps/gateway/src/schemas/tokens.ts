import { Id, Timestamp } from "@chorus/core";
import * as v from "valibot";

/** What a token may do: `reader` reads, `writer` also writes, `admin` also manages. */
export const Role = v.picklist(["reader", "writer", "admin"]);

/** What a token may do. */
export type Role = v.InferOutput<typeof Role>;

/** A token's name, which becomes the commit author `token:<name>`. */
export const TokenName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9._:-]+$/, "Invalid name: only A-Z a-z 0-9 . _ : - are allowed"),
);

/** A token's id: `tok_` and 17 hex digits, the first naming its shard. */
export const TokenId = v.pipe(
  v.string(),
  v.regex(/^tok_[0-9a-f]{17}$/, "Invalid token id: expected tok_ and 17 hex digits"),
);

/** The body of `POST /api/tokens`. */
export const NewToken = v.strictObject({
  name: TokenName,
  role: Role,
  /** only these workflows; every other route answers 403 (default: every workflow) */
  workflowIds: v.exactOptional(v.pipe(v.array(Id), v.minLength(1), v.maxLength(100))),
});

/** The body of `POST /api/tokens`. */
export type NewToken = v.InferOutput<typeof NewToken>;

/** A token as listed: never its secret. */
export const TokenInfo = v.object({
  id: TokenId,
  name: TokenName,
  role: Role,
  /** `null`: every workflow */
  workflowIds: v.nullable(v.array(Id)),
  createdAt: Timestamp,
});

/** A token as listed. */
export type TokenInfo = v.InferOutput<typeof TokenInfo>;

/** A token just issued: the only time its secret is shown. */
export const IssuedToken = v.object({
  ...TokenInfo.entries,
  /** the bearer token; store it now, it cannot be shown again */
  token: v.string(),
});

/** Every token, oldest first. */
export const TokenList = v.object({ tokens: v.array(TokenInfo) });
