/**
 * @param data any JSON-serialisable value
 * @param status the HTTP status (200 unless given)
 * @param headers extra headers (`Location`, `ETag`)
 * @returns an `application/json` response
 */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}
