import { sha256Hex } from "@chorus/core";

/** Every issued token starts with this, so a leaked one is recognisable (secret scanners). */
export const TOKEN_PREFIX = "chorus_";

/** How many TokenStore objects the tokens are spread over: one per leading hex digit. */
export const TOKEN_SHARDS = 16;

/**
 * @param prefix what the secret starts with (an issued token's by default)
 * @returns a new secret: the prefix and 32 random bytes as unpadded base64url (RFC 4648 §5)
 */
export function newSecret(prefix = TOKEN_PREFIX): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return prefix + base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * @param secret a bearer token as presented
 * @returns its SHA-256 as 64 hex digits: the only form in which tokens are stored
 */
export function hashSecret(secret: string): Promise<string> {
  return sha256Hex(secret);
}

/**
 * @param hash a token's hash
 * @returns the name of the TokenStore object that holds it (by the hash's first hex digit)
 */
export function shardOfHash(hash: string): string {
  return `tokens-${hash.slice(0, 1)}`;
}

/**
 * Makes a token id that names its shard, so revoking by id reaches one object.
 * @param hash the token's hash
 * @returns `tok_` + the shard digit + 16 random hex digits
 */
export function newTokenId(hash: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
  return `tok_${hash.slice(0, 1)}${random}`;
}

/**
 * @param id a token id made by {@link newTokenId}
 * @returns the name of the TokenStore object that holds it
 */
export function shardOfId(id: string): string {
  return `tokens-${id.slice(4, 5)}`;
}

/** @returns the names of every TokenStore object */
export function allTokenShards(): string[] {
  return Array.from({ length: TOKEN_SHARDS }, (_, digit) => `tokens-${digit.toString(16)}`);
}
