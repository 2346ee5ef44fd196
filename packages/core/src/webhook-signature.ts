/** The header that carries a webhook's signature. */
export const SIGNATURE_HEADER = "X-Chorus-Signature";

/** How far a signature's time may be from the receiver's clock, by default: five minutes. */
const TOLERANCE_SECONDS = 300;

const utf8 = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    utf8.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, utf8.encode(message));
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Signs a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the value of
 * `X-Chorus-Signature`. Signing the time with the body lets a receiver refuse old replays.
 * @param secret the rule's secret
 * @param body the exact body sent
 * @param unixSeconds the time of sending, in whole seconds
 * @returns the header value
 * @example
 * await signWebhook("s3cret-s3cret-s3cret", '{"a":1}', 1700000000); // "t=1700000000,v1=…"
 */
export async function signWebhook(
  secret: string,
  body: string,
  unixSeconds: number,
): Promise<string> {
  const t = Math.floor(unixSeconds);
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

/**
 * Checks a webhook's `X-Chorus-Signature` as a receiver should: the MAC matches (compared in
 * constant time) and its time is within `toleranceSeconds` of `nowSeconds`.
 * @param secret the shared secret
 * @param header the header's value
 * @param body the exact body received
 * @param nowSeconds the receiver's time, in seconds
 * @param toleranceSeconds the largest accepted clock difference
 * @returns whether the signature holds
 */
export async function verifyWebhook(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = TOLERANCE_SECONDS,
): Promise<boolean> {
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isSafeInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++)
    difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}
