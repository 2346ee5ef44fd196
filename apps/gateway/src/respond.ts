import { spliceJson } from "@chorus/core";

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

/**
 * A JSON response with one member whose value is JSON text already (a state, as the state
 * manager answers it): spliced in, neither parsed nor serialized again.
 * @param data the other members
 * @param name the spliced member's name, written last
 * @param text its value, valid JSON text
 * @param status the HTTP status (200 unless given)
 * @param headers extra headers
 * @returns an `application/json` response
 */
export function jsonWithText(
  data: Record<string, unknown>,
  name: string,
  text: string,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(spliceJson(data, name, text), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}
