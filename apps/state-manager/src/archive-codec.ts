import { gunzipText, gzip } from "./gzip.ts";

/** What one archive chunk holds for each of its versions. */
export interface ArchivedVersion {
  version: number;
  patch: string;
  state?: string;
}

/**
 * Encodes a chunk of archived versions as (optionally gzip-compressed) JSON.
 * @param versions the versions' stored blobs
 * @param compress whether to gzip
 * @returns the bytes to store
 */
export async function encodeChunk(
  versions: ArchivedVersion[],
  compress: boolean,
): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(JSON.stringify({ versions }));
  return compress ? gzip(bytes) : bytes;
}

/**
 * @param bytes what {@link encodeChunk} produced
 * @param compressed whether it was gzipped
 * @returns the uncompressed JSON text
 */
export async function decodeChunkText(bytes: ArrayBuffer, compressed: boolean): Promise<string> {
  return compressed ? gunzipText(bytes) : new TextDecoder().decode(bytes);
}
