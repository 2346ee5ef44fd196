import { createHmac, randomUUID } from "node:crypto";
import type { FakeIssue, WebhookDelivery } from "./model.ts";

/**
 * Builds and signs an `Issue` webhook the way Linear does: JSON body with the issue's data,
 * `updatedFrom` holding the previous values, `webhookTimestamp` (ms) inside the signed body, and
 * `Linear-Signature` the hex HMAC-SHA256 of the exact body with the webhook secret. Node's own
 * HMAC, not core's, so the agent's check is tested against an independent signer.
 * @param input the action, the issue after it, the previous values, the secret and the time
 * @returns the body and headers to POST
 */
export function issueWebhook(input: {
  action: "create" | "update";
  issue: FakeIssue;
  updatedFrom?: Record<string, unknown>;
  secret: string;
  timestamp: number;
}): WebhookDelivery {
  const { issue } = input;
  const payload = {
    action: input.action,
    type: "Issue",
    createdAt: issue.updatedAt,
    organizationId: "fake-org",
    url: `https://linear.app/fake/issue/${issue.identifier}`,
    data: {
      id: issue.id,
      identifier: issue.identifier,
      number: issue.number,
      title: issue.title,
      description: issue.description,
      teamId: issue.teamId,
      stateId: issue.stateId,
      assigneeId: issue.assigneeId,
      labelIds: issue.labelIds,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
    },
    ...(input.updatedFrom === undefined ? {} : { updatedFrom: input.updatedFrom }),
    webhookId: "fake-webhook",
    webhookTimestamp: input.timestamp,
  };
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "User-Agent": "Linear-Webhook",
      "Linear-Delivery": randomUUID(),
      "Linear-Event": "Issue",
      "Linear-Signature": createHmac("sha256", input.secret).update(body).digest("hex"),
    },
  };
}
