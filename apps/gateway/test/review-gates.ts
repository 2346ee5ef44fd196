// Shared by the review route tests: a gated workflow with its people, and reads of it.
import type { Review } from "@chorus/core";
import { ADMIN, api, createWorkflow, expectStatus, issueToken } from "./helpers.ts";

export const RELEASE_GATE = { paths: ["/data/release/**"], approvals: 2 };
export const STATUS_GATE = { transition: { path: "/status", to: "completed" } };

/** A workflow with review gates, and tokens for an author, two reviewers and a reader. */
export async function gated(gates: unknown[] = [RELEASE_GATE, STATUS_GATE]) {
  const { id } = await createWorkflow();
  await expectStatus(
    api(`/api/workflows/${id}/settings`, {
      method: "PATCH",
      token: ADMIN,
      json: { reviewGates: gates },
    }),
    200,
  );
  const [author, alice, bob, reader] = await Promise.all([
    issueToken("writer"),
    issueToken("writer"),
    issueToken("writer"),
    issueToken("reader"),
  ]);
  const at = `/api/workflows/${id}`;
  return { id, at, author, alice, bob, reader };
}

export const post = (
  path: string,
  token: string,
  json?: unknown,
  headers?: Record<string, string>,
) => api(path, { method: "POST", token, ...(json === undefined ? {} : { json }), ...{ headers } });

export async function mainState(at: string): Promise<Record<string, unknown>> {
  const read = await expectStatus<{ state: Record<string, unknown>; version: number }>(
    api(`${at}/state`, { token: ADMIN }),
    200,
  );
  return { ...read.state, _version: read.version };
}

export async function reviews(at: string): Promise<Review[]> {
  return (await expectStatus<{ reviews: Review[] }>(api(`${at}/reviews`, { token: ADMIN }), 200))
    .reviews;
}
