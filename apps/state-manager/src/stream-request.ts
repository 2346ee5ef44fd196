import { ChorusError, STREAM_SUBSCRIPTION_HEADER } from "@chorus/core";

/**
 * Reads a change stream's opening request: a WebSocket upgrade with the subscription as JSON in
 * the `x-chorus-subscription` header (validated by the caller).
 * @param request the upgrade the relay passed on
 * @returns the header's JSON value (`null` when the header is missing)
 */
export function subscriptionOf(request: Request): unknown {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new ChorusError("VALIDATION_FAILED", "a change stream is a WebSocket upgrade", {
      path: "/upgrade",
    });
  }
  const header = request.headers.get(STREAM_SUBSCRIPTION_HEADER) ?? "null";
  try {
    return JSON.parse(header);
  } catch {
    throw new ChorusError("INVALID_JSON", `${STREAM_SUBSCRIPTION_HEADER} is not JSON`, {
      path: "",
    });
  }
}
