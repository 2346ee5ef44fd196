/**
 * @param checksum a version's checksum
 * @returns the strong entity tag that names it: `"<checksum>"`
 */
export function etagOf(checksum: string): string {
  return `"${checksum}"`;
}

/**
 * Whether an `If-None-Match` header matches a version (RFC 9110 §13.1.2: weak comparison, a
 * list of tags or `*`).
 * @param header the header's value
 * @param checksum the version's checksum
 * @returns true when the client already has this version
 */
export function noneMatchHits(header: string, checksum: string): boolean {
  if (header.trim() === "*") return true;
  const tag = etagOf(checksum);
  return header.split(",").some((item) => item.trim().replace(/^W\//, "") === tag);
}
