/**
 * @param bytes anything
 * @returns its gzip (CompressionStream), for keyframes and archive chunks
 */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * @param bytes what {@link gzip} produced
 * @returns the text it holds, decoded as UTF-8
 */
export async function gunzipText(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}
