import { Id, Timestamp, type WorkflowRecord } from "@chorus/core";
import * as v from "valibot";

/** Where a page ended: the last record's `createdAt` and `id`, the listing's sort key. */
export const Position = v.strictTuple([Timestamp, Id]);

/** Where a page ended. */
export type Position = v.InferOutput<typeof Position>;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Makes the opaque cursor that resumes a listing after `record`.
 * @param record the last record of a page
 * @returns base64url (RFC 4648 §5, unpadded) of the JSON `[createdAt, id]`
 */
export function encodeCursor(record: Pick<WorkflowRecord, "createdAt" | "id">): string {
  const bytes = encoder.encode(JSON.stringify([record.createdAt, record.id]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * Reads a cursor made by {@link encodeCursor}.
 * @param cursor what a client sent back
 * @returns the position, or `undefined` when the cursor is not one we made
 */
export function decodeCursor(cursor: string): Position | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) return undefined;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const json = decoder.decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
    const parsed = v.safeParse(Position, JSON.parse(json));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

/** An opaque `cursor` from a previous page, decoded to its {@link Position}. */
export const Cursor = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const position = decodeCursor(dataset.value);
    if (position !== undefined) return position;
    addIssue({ message: "Invalid cursor: pass back the nextCursor of a previous page" });
    return NEVER;
  }),
);
