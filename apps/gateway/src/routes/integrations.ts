import { LINEAR_SIGNATURE_HEADER, verifyLinearWebhook } from "@chorus/core";
import * as v from "valibot";
import { byteLimit, readRawBody } from "../bodies.ts";
import { HttpError, problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";

/** What the webhook route answers: the workflow version it committed, `null` for none. */
export const LinearWebhookAnswer = v.object({
  committed: v.nullable(v.number()),
  /** why nothing was committed, when the delivery is not about an issue */
  ignored: v.exactOptional(v.string()),
});

/**
 * `POST /api/integrations/linear/webhook`: Linear's webhooks. No bearer token: the
 * `Linear-Signature` (HMAC-SHA256 of the raw body with `LINEAR_WEBHOOK_SECRET`) authenticates,
 * and the signed `webhookTimestamp` must be within 60 s. The workflow's Linear agent refuses a
 * replay and an issue no task mirrors, and commits the change to the task as `linear`.
 */
export const linearWebhook = defineRoute({
  method: "POST",
  path: "/api/integrations/linear/webhook",
  operationId: "linearWebhook",
  summary: "Receive a Linear webhook",
  description:
    "Authenticated by its `Linear-Signature` header (hex HMAC-SHA256 of the exact body with the " +
    "webhook's secret), not a bearer token. A delivery more than 60 s off (`webhookTimestamp`), " +
    "seen before, or about an issue no task mirrors is refused without a commit; an issue's " +
    "title, state or assignee change is committed to its task, authored `linear`.",
  tag: "integrations",
  access: "public",
  responses: {
    200: { description: "Taken: the version committed, or null", schema: LinearWebhookAnswer },
    400: problemSpec("The signed body is not a Linear webhook"),
    401: problemSpec("No valid signature, or a stale timestamp"),
    404: problemSpec("No task mirrors the issue"),
    409: problemSpec("The delivery was taken before (a replay)"),
    503: problemSpec("LINEAR_WEBHOOK_SECRET is not set"),
  },
  async handle({ request, env }) {
    const secret = env.LINEAR_WEBHOOK_SECRET;
    if (secret === undefined || secret === "") {
      throw new HttpError(503, "NOT_CONFIGURED", "set the LINEAR_WEBHOOK_SECRET secret");
    }
    const rawBody = await readRawBody(request, byteLimit(env.MAX_BODY_BYTES));
    const signature = request.headers.get(LINEAR_SIGNATURE_HEADER);
    const check = await verifyLinearWebhook({ rawBody, signature, secret, now: Date.now() });
    if (!check.ok) {
      const path = check.reason === "timestamp" ? "/webhookTimestamp" : "/headers/linear-signature";
      if (check.reason === "body") {
        throw new HttpError(400, "INVALID_JSON", check.message, {
          errors: [{ path: "", message: check.message }],
        });
      }
      throw new HttpError(401, "UNAUTHENTICATED", check.message, {
        errors: [{ path, message: check.message }],
      });
    }
    if (check.payload.type !== "Issue") {
      return json({ committed: null, ignored: `${check.payload.type} webhooks are not synced` });
    }
    const taken = await call(
      env.AGENTS.linearWebhook({ payload: check.payload, replayKey: check.replayKey }),
      { "/payload": "" },
    );
    return json(taken);
  },
});
