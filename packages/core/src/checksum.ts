import { type CanonicalizeOptions, canonicalize } from "./canonical-json.ts";
import type { JsonValue } from "./json.ts";

/**
 * Hashes text with SHA-256 (WebCrypto, so Workers, Node and browsers agree).
 * @param text any string; hashed as its UTF-8 bytes
 * @returns the digest as 64 lowercase hexadecimal characters
 * @example
 * await sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(text: string): Promise<string> {
  return sha256HexOfBytes(new TextEncoder().encode(text));
}

/**
 * Hashes bytes with SHA-256, for callers that already hold the UTF-8 of a text (to measure it,
 * say) and should not encode it twice.
 * @param bytes the bytes
 * @returns the digest as 64 lowercase hexadecimal characters
 */
export async function sha256HexOfBytes(bytes: Uint8Array): Promise<string> {
  // Encoders return bytes over a plain ArrayBuffer; the lib type admits a SharedArrayBuffer too.
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += HEX[byte];
  return hex;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * Fingerprints a JSON value: the SHA-256 of its RFC 8785 canonical form, so values equal as JSON
 * (whatever their member order) share a checksum, and any other change alters it.
 * @param value the JSON value
 * @param options passed to {@link canonicalize}
 * @returns the digest as 64 lowercase hexadecimal characters
 * @throws ChorusError `INVALID_JSON` or `TOO_DEEP`, from {@link canonicalize}
 * @example
 * (await checksum({ b: 1, a: 2 })) === (await checksum({ a: 2, b: 1 })); // true
 */
export async function checksum(value: JsonValue, options?: CanonicalizeOptions): Promise<string> {
  return sha256Hex(canonicalize(value, options));
}
