import { discardRest } from "./early-answer.ts";
import { HttpError } from "./problem.ts";

/** What a route accepts as its request body. */
export interface BodyLimits {
  /** the one media type accepted, e.g. `application/json` */
  mediaType: string;
  /** the most bytes accepted (`MAX_BODY_BYTES`) */
  maxBytes: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Reads a JSON request body within limits, checking the declared length before reading and
 * the bytes actually received while reading, so a missing or lying `Content-Length` cannot
 * get past the limit.
 * @param request the request
 * @param limits the media type and size limit
 * @returns the parsed JSON, or `undefined` when the request has no body
 * @throws HttpError 413 over the limit, 415 for another media type, 400 for bytes that are not
 *   UTF-8 JSON
 */
export async function readJsonBody(request: Request, limits: BodyLimits): Promise<unknown> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.maxBytes) throw tooLarge(limits.maxBytes);
  // `!body`, not `=== null`: itty-router's request proxy reads a null body as undefined.
  if (!request.body || declared === "0") return undefined;
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType && mediaType !== limits.mediaType) throw unsupported(request, limits, mediaType);
  // Read before refusing a missing Content-Type: an empty body needs none.
  const bytes = await readLimited(request.body, limits.maxBytes);
  if (bytes.byteLength === 0) return undefined;
  if (!mediaType) throw unsupported(request, limits, undefined);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw malformed("the body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : "the body is not JSON");
  }
}

/**
 * Reads a request body as text within a size limit, for a route that must see the exact bytes
 * (a signed webhook), checking the declared length first and the bytes received while reading.
 * @param request the request
 * @param maxBytes the most bytes accepted
 * @returns the body as UTF-8 text; `""` when there is none
 * @throws HttpError 413 over the limit, 400 for bytes that are not UTF-8
 */
export async function readRawBody(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const bytes = await readLimited(request.body, maxBytes);
  try {
    return decoder.decode(bytes);
  } catch {
    throw malformed("the body is not valid UTF-8");
  }
}

/**
 * @param limit the limit in bytes
 * @returns a number from a `MAX_BODY_BYTES`-style variable, or the 1 MiB default
 */
export function byteLimit(limit: string | undefined): number {
  const parsed = Number(limit);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : 1024 * 1024;
}

async function readLimited(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Read to the end, so that the keep-alive connection stays usable (early-answer.ts).
      await discardRest(reader);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function unsupported(
  request: Request,
  limits: BodyLimits,
  received: string | undefined,
): HttpError {
  const accept = request.method === "PATCH" ? "accept-patch" : "accept-post";
  return new HttpError(
    415,
    "UNSUPPORTED_MEDIA_TYPE",
    `send the body as Content-Type: ${limits.mediaType} (${received === undefined ? "none was given" : `received ${received}`})`,
    { headers: { [accept]: limits.mediaType } },
  );
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "TOO_LARGE", `the body exceeds the limit of ${maxBytes} bytes`);
}

function malformed(reason: string): HttpError {
  return new HttpError(400, "INVALID_JSON", `the body is not valid JSON: ${reason}`, {
    errors: [{ path: "", message: reason }],
  });
}
