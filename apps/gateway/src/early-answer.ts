/**
 * The most unread request bytes the gateway reads and throws away after an early answer. workerd
 * reuses a keep-alive connection only once the request body has been read to its end: an answer
 * given before that (401, 404, 405, 413, 415) ended the connection without a `Connection: close`,
 * and the client's next request on it failed with ECONNRESET (issue 18). Past this limit the
 * connection still ends: workerd drops a `Connection` header a worker sets, so it cannot be
 * announced.
 */
export const DRAIN_LIMIT = 32 * 1024 * 1024;

/**
 * Reads a request body's remaining bytes to its end, throwing them away, up to a limit.
 * @param reader the body's reader, perhaps partly read
 * @param limit how many more bytes to read at most
 * @returns whether the body ended within the limit (if not, the body is cancelled)
 */
export async function discardRest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit = DRAIN_LIMIT,
): Promise<boolean> {
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      read += value.byteLength;
      if (read > limit) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    // The client went away mid-body: there is no connection left to keep.
    return false;
  }
}

/**
 * Leaves the connection usable after an answer given without reading the request body: reads
 * the rest (up to {@link DRAIN_LIMIT}) and throws it away.
 * @param request the request, its body perhaps unread
 * @param response the answer
 * @returns the answer, once the body has been read
 */
export async function settleBody(request: Request, response: Response): Promise<Response> {
  if (request.body !== null && !request.bodyUsed) await discardRest(request.body.getReader());
  return response;
}
