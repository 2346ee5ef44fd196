import { spliceParts } from "@chorus/core";

/**
 * From this much state text on (in UTF-16 units), a read's document crosses RPC as a byte
 * stream rather than a string. Measured through two RPC hops and an HTTP answer (BENCHMARKS.md,
 * "Reads"): a 100 KB state costs about 1.3× the no-op as a stream and 2× as a string, while a
 * 1 KB state costs 1.0× as a string and 1.1× as a stream, whose setup is a fixed cost.
 */
export const STREAM_FROM = 16 * 1024;

/**
 * What a state read answers with: the JSON document `{ ...StateVersion, path, state }`, whole,
 * as the gateway sends it. A small one is a string; a large one is a stream of its UTF-8 bytes,
 * which a caller passes on as a response body without reading it.
 */
export type StateDocument = string | ReadableStream<Uint8Array>;

/**
 * @param meta the members beside the state (a version's metadata and the path read)
 * @param text the state's canonical JSON text, spliced in as it is
 * @returns the document: a string below {@link STREAM_FROM}, a byte stream from there on
 */
export function stateDocument(meta: Record<string, unknown>, text: string): StateDocument {
  const { head, tail } = spliceParts(meta, "state");
  if (text.length < STREAM_FROM) return head + text + tail;
  // A Blob of the three parts encodes them natively and streams them without joining them.
  return new Blob([head, text, tail]).stream();
}
