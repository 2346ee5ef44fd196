import { describe, expect, it } from "vitest";
import { signLinearWebhook, verifyLinearWebhook } from "./linear-webhook.ts";

const secret = "whsec-test";
const now = 1_800_000_000_000;
const body = (timestamp: number) =>
  JSON.stringify({
    action: "update",
    type: "Issue",
    data: { id: "issue-1", title: "New title" },
    updatedFrom: { title: "Old" },
    webhookTimestamp: timestamp,
  });

describe("signLinearWebhook", () => {
  it("signs like Linear: the hex HMAC-SHA256 of the raw body (RFC 4231 case 2)", async () => {
    expect(await signLinearWebhook("what do ya want for nothing?", "Jefe")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});

describe("verifyLinearWebhook", () => {
  it("accepts a signed, fresh delivery and keys replays by its signature", async () => {
    const rawBody = body(now - 59_000);
    const signature = await signLinearWebhook(rawBody, secret);
    const check = await verifyLinearWebhook({ rawBody, signature, secret, now });
    expect(check).toMatchObject({ ok: true, replayKey: signature });
    expect(check.ok && check.payload.data.id).toBe("issue-1");
  });

  it("refuses a signature made with another secret, or of another body", async () => {
    const rawBody = body(now);
    const wrongSecret = await signLinearWebhook(rawBody, "other");
    const otherBody = await signLinearWebhook(body(now + 1), secret);
    for (const signature of [wrongSecret, otherBody]) {
      expect(await verifyLinearWebhook({ rawBody, signature, secret, now })).toMatchObject({
        ok: false,
        reason: "signature",
      });
    }
  });

  it("refuses a missing or malformed signature", async () => {
    const rawBody = body(now);
    for (const signature of [null, "", "zz", "ab".repeat(31)]) {
      expect(await verifyLinearWebhook({ rawBody, signature, secret, now })).toMatchObject({
        ok: false,
        reason: "signature",
      });
    }
  });

  it("refuses a timestamp more than 60 s off, either way", async () => {
    for (const timestamp of [now - 60_001, now + 60_001]) {
      const rawBody = body(timestamp);
      const signature = await signLinearWebhook(rawBody, secret);
      expect(await verifyLinearWebhook({ rawBody, signature, secret, now })).toMatchObject({
        ok: false,
        reason: "timestamp",
      });
    }
  });

  it("refuses a signed body that is not a webhook", async () => {
    for (const rawBody of ["not json", JSON.stringify({ action: "update", type: "Issue" })]) {
      const signature = await signLinearWebhook(rawBody, secret);
      expect(await verifyLinearWebhook({ rawBody, signature, secret, now })).toMatchObject({
        ok: false,
        reason: "body",
      });
    }
  });
});
