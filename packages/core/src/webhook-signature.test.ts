import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "./webhook-signature.ts";

const SECRET = "0123456789abcdef";

describe("signWebhook", () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256 of t.body>", async () => {
    const body = '{"ruleId":"r1","version":3}';
    const header = await signWebhook(SECRET, body, 1_700_000_000.7);
    // openssl dgst -sha256 -hmac 0123456789abcdef over `1700000000.${body}`
    expect(header).toBe(
      "t=1700000000,v1=6d0b517426fedc06c7358941574fdd8b36bff38170b2b65ee9eb162024024cdb",
    );
  });

  it("verifies its own signature and refuses a changed body, secret or stale time", async () => {
    const header = await signWebhook(SECRET, "body", 1000);
    expect(await verifyWebhook(SECRET, header, "body", 1100)).toBe(true);
    expect(await verifyWebhook(SECRET, header, "bodY", 1100)).toBe(false);
    expect(await verifyWebhook("another-secret-!!", header, "body", 1100)).toBe(false);
    expect(await verifyWebhook(SECRET, header, "body", 2000)).toBe(false);
    expect(await verifyWebhook(SECRET, "garbage", "body", 1000)).toBe(false);
  });
});
