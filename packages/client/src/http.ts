import { toApiError } from "./errors.ts";
import {
  CONNECTION_RETRIES,
  isConnectionReset,
  isSafeToResend,
  retryAfterMs,
  UNAVAILABLE_RETRIES,
} from "./retry.ts";

/** A `fetch` with the standard signature: the global one, a service binding's, or a test's. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Query parameters; `undefined` members are left out, an array repeats the parameter. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** One request to the API. */
export interface ApiRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** path below the base URL, segments already encoded, e.g. `/api/workflows/w1/state` */
  path: string;
  query?: Query;
  /** sent as JSON unless `contentType` says otherwise */
  body?: unknown;
  contentType?: string;
  /** extra headers; `undefined` members are left out */
  headers?: Record<string, string | undefined>;
  /** error statuses whose body is still the answer (e.g. 503 from `/health`) */
  accept?: readonly number[];
  signal?: AbortSignal;
}

/** A successful answer: status, headers and the parsed body (JSON, text, or `undefined`). */
export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends requests with the bearer token and turns error answers into typed errors. */
export class Http {
  readonly #baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: FetchLike;

  /**
   * @param baseUrl e.g. `http://127.0.0.1:8787`
   * @param token the bearer token, if any
   * @param fetchFn defaults to the global `fetch`
   */
  constructor(baseUrl: string, token: string | undefined, fetchFn: FetchLike | undefined) {
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
    this.#token = token;
    // Wrapped, not stored bare: a detached global fetch throws "Illegal invocation" in browsers.
    this.#fetch = fetchFn ?? ((input, init) => fetch(input, init));
  }

  /**
   * @param request what to send
   * @returns the answer when its status is 2xx or 304
   * @throws ChorusApiError (or a subclass) for any other status
   */
  async send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const response = await this.#request(request);
    const body = await readBody(response);
    const accepted =
      response.ok || response.status === 304 || request.accept?.includes(response.status);
    if (!accepted) throw toApiError(response.status, body);
    return { status: response.status, headers: response.headers, body: body as T };
  }

  /**
   * Sends a request whose answer is a stream: the body is left unread for the caller.
   * @param request what to send
   * @returns the answer when its status is 2xx
   * @throws ChorusApiError (or a subclass) for any other status
   */
  async open(request: ApiRequest): Promise<Response> {
    const response = await this.#request(request);
    if (!response.ok) throw toApiError(response.status, await readBody(response));
    return response;
  }

  async #request(request: ApiRequest): Promise<Response> {
    const headers = new Headers({ accept: "application/json, application/problem+json, */*" });
    if (this.#token !== undefined) headers.set("authorization", `Bearer ${this.#token}`);
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers.set(name, value);
    }
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) {
      headers.set("content-type", request.contentType ?? "application/json");
      init.body = JSON.stringify(request.body);
    }
    if (request.signal !== undefined) init.signal = request.signal;
    const url = this.#url(request.path, request.query);
    const resendable = isSafeToResend(request);
    let resets = 0;
    let unavailable = 0;
    for (;;) {
      let response: Response;
      try {
        response = await this.#fetch(url, init);
      } catch (error) {
        // A keep-alive connection that ended under the request: it may or may not have been
        // received, so it is sent again only when that is harmless.
        const retry = resendable && resets < CONNECTION_RETRIES && isConnectionReset(error);
        if (!retry || request.signal?.aborted) throw error;
        resets++;
        continue;
      }
      // A 503 with Retry-After changed nothing (or its key finishes it): sent again after the wait.
      const wait =
        resendable && unavailable < UNAVAILABLE_RETRIES ? retryAfterMs(response) : undefined;
      if (wait === undefined || request.signal?.aborted) return response;
      unavailable++;
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  #url(path: string, query: Query | undefined): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        params.append(name, String(item));
      }
    }
    const search = params.toString();
    return `${this.#baseUrl}${path}${search === "" ? "" : `?${search}`}`;
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 304) return undefined;
  const text = await response.text();
  if (text === "") return undefined;
  const type = response.headers.get("content-type") ?? "";
  if (!/\bjson\b/.test(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Encodes one path segment (a workflow id, branch name, snapshot id).
 * @param segment the raw value
 * @returns it, percent-encoded
 */
export function seg(segment: string | number): string {
  return encodeURIComponent(String(segment));
}
