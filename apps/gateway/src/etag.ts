/**
 * @param checksum a version's checksum
 * @returns the strong entity tag that names it: `"<checksum>"`
 */
export function etagOf(checksum: string): string {
  return `"${checksum}"`;
}

// The state manager's limit on checksums per conditional read (`MAX_NONE_MATCH`).
const MAX_HELD = 32;
const CHECKSUM_TAG = /^"([0-9a-f]{64})"$/;

/**
 * The versions an `If-None-Match` header names (RFC 9110 §13.1.2: weak comparison, a list of
 * tags or `*`), as the state manager's `ifNoneMatch`. Tags that are no version's checksum can
 * match nothing and are left out; past the first 32, the read is answered in full (200 is
 * always a correct answer to a conditional GET).
 * @param header the header's value
 * @returns checksums, or `["*"]`; `undefined` when nothing in it can match
 */
export function noneMatchChecksums(header: string): string[] | undefined {
  if (header.trim() === "*") return ["*"];
  const held: string[] = [];
  for (const item of header.split(",")) {
    const checksum = CHECKSUM_TAG.exec(item.trim().replace(/^W\//, ""))?.[1];
    if (checksum !== undefined && held.length < MAX_HELD) held.push(checksum);
  }
  return held.length === 0 ? undefined : held;
}
