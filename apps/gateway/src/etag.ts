import { Checksum, MAX_HELD_CHECKSUMS } from "@chorus/core";
import * as v from "valibot";

/**
 * @param checksum a version's checksum
 * @returns the strong entity tag that names it: `"<checksum>"`
 */
export function etagOf(checksum: string): string {
  return `"${checksum}"`;
}

const QUOTED = /^"(.*)"$/;

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
    const tag = QUOTED.exec(item.trim().replace(/^W\//, ""))?.[1];
    if (v.is(Checksum, tag) && held.length < MAX_HELD_CHECKSUMS) held.push(tag);
  }
  return held.length === 0 ? undefined : held;
}
