import * as v from "valibot";
import { LinearWebhookPayload } from "./schemas/linear-webhook.ts";

/** How far a webhook's signed `webhookTimestamp` may be from now, as Linear advises: 60 s. */
export const LINEAR_WEBHOOK_TOLERANCE_MS = 60_000;

/** The header that carries a Linear webhook's signature. */
export const LINEAR_SIGNATURE_HEADER = "Linear-Signature";

/** Why a webhook was refused: its signature, its timestamp, or a body that is not a webhook. */
export type LinearWebhookRefusal = "signature" | "timestamp" | "body";

/** The outcome of {@link verifyLinearWebhook}. */
export type LinearWebhookCheck =
  | {
      ok: true;
      payload: LinearWebhookPayload;
      /**
       * what identifies this delivery for replay detection: its signature, which covers the
       * whole body including the timestamp. (`Linear-Delivery` is not signed, so a replayer could
       * change it.)
       */
      replayKey: string;
    }
  | { ok: false; reason: LinearWebhookRefusal; message: string };

const encoder = new TextEncoder();

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Signs a webhook body the way Linear does: the hex HMAC-SHA256 of the raw body with the
 * webhook's secret (WebCrypto, so Workers and Node agree).
 * @param rawBody the exact body sent
 * @param secret the webhook's signing secret
 * @returns 64 lowercase hexadecimal characters, the `Linear-Signature` header
 * @example
 * const signature = await signLinearWebhook(body, secret);
 */
export async function signLinearWebhook(rawBody: string, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret, "sign"),
    encoder.encode(rawBody),
  );
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Checks a Linear webhook: the `Linear-Signature` must be the HMAC-SHA256 of the raw body with
 * the secret (compared in constant time by `crypto.subtle.verify`), and the signed
 * `webhookTimestamp` within {@link LINEAR_WEBHOOK_TOLERANCE_MS} of `now`, so a captured delivery
 * cannot be replayed later. Replays inside the window are the caller's to refuse, by `replayKey`.
 * @param input the raw body, the signature header (`null` when absent), the secret and the time
 * @returns the parsed payload and its replay key, or why it was refused
 * @example
 * const check = await verifyLinearWebhook({ rawBody, signature, secret, now: Date.now() });
 * if (!check.ok) return refuse(check.reason);
 */
export async function verifyLinearWebhook(input: {
  rawBody: string;
  signature: string | null;
  secret: string;
  now: number;
}): Promise<LinearWebhookCheck> {
  const signature = input.signature?.trim().toLowerCase() ?? "";
  const mac = hexToBytes(signature);
  if (mac === undefined) {
    return { ok: false, reason: "signature", message: "Linear-Signature is missing or malformed" };
  }
  const key = await hmacKey(input.secret, "verify");
  if (!(await crypto.subtle.verify("HMAC", key, mac, encoder.encode(input.rawBody)))) {
    return { ok: false, reason: "signature", message: "Linear-Signature does not match the body" };
  }
  let json: unknown;
  try {
    json = JSON.parse(input.rawBody);
  } catch {
    return { ok: false, reason: "body", message: "the webhook body is not JSON" };
  }
  const parsed = v.safeParse(LinearWebhookPayload, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue === undefined ? "" : v.getDotPath(issue);
    return {
      ok: false,
      reason: "body",
      message: `not a Linear webhook: ${path} ${issue?.message}`,
    };
  }
  if (Math.abs(input.now - parsed.output.webhookTimestamp) > LINEAR_WEBHOOK_TOLERANCE_MS) {
    return { ok: false, reason: "timestamp", message: "webhookTimestamp is more than 60 s off" };
  }
  return { ok: true, payload: parsed.output, replayKey: signature };
}
