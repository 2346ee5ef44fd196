import type { AuditPage } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken } from "./helpers.ts";

const GATE = { paths: ["/data/release/**"], approvals: 2 };

async function auditOf(id: string): Promise<AuditPage["entries"]> {
  const page = await expectStatus<AuditPage>(
    api(`/api/workflows/${id}/audit`, { token: ADMIN }),
    200,
  );
  return page.entries;
}

function patchSettings(id: string, token: string, json: unknown) {
  return api(`/api/workflows/${id}/settings`, { method: "PATCH", token, json });
}

describe("settings changes in the audit trail", () => {
  it("records who set review gates, with the gates before and after", async () => {
    const { id } = await createWorkflow();
    const admin = await issueToken("admin");
    await expectStatus(patchSettings(id, admin.token, { reviewGates: [GATE] }), 200);
    await expectStatus(patchSettings(id, admin.token, { reviewGates: [] }), 200);

    const [removed, added] = await auditOf(id);
    expect(added).toMatchObject({
      actor: `token:${admin.name}`,
      action: "settings.updated",
      version: null,
      detail: {
        changed: ["reviewGates"],
        before: { reviewGates: [] },
        after: { reviewGates: [{ branches: ["main"], paths: ["/data/release/**"], approvals: 2 }] },
      },
    });
    expect(removed).toMatchObject({
      actor: `token:${admin.name}`,
      action: "settings.updated",
      detail: {
        changed: ["reviewGates"],
        before: {
          reviewGates: [{ branches: ["main"], paths: ["/data/release/**"], approvals: 2 }],
        },
        after: { reviewGates: [] },
      },
    });
  });

  it("names every member a change touches and only those", async () => {
    const { id } = await createWorkflow();
    await expectStatus(
      patchSettings(id, ADMIN, { unbasedWrites: "reject", limits: { maxBranches: 7 } }),
      200,
    );
    const [entry] = await auditOf(id);
    const detail = entry?.detail as { changed: string[]; before: object; after: object };
    expect(detail.changed).toEqual(["limits", "unbasedWrites"]);
    expect(detail.after).toEqual({
      unbasedWrites: "reject",
      limits: { maxStateBytes: 1_048_576, maxPatchOps: 10_000, maxBranches: 7 },
    });
    expect(detail.before).toEqual({
      unbasedWrites: "last-writer-wins",
      limits: { maxStateBytes: 1_048_576, maxPatchOps: 10_000, maxBranches: 100 },
    });
  });

  it("records nothing for a change that changes nothing or is refused", async () => {
    const { id } = await createWorkflow();
    await expectStatus(patchSettings(id, ADMIN, { reviewGates: [GATE] }), 200);
    const before = await auditOf(id);
    await expectStatus(patchSettings(id, ADMIN, { reviewGates: [GATE] }), 200);
    await expectStatus(patchSettings(id, ADMIN, { reviewGates: [{ paths: ["release"] }] }), 422);
    await expectStatus(patchSettings(id, ADMIN, { reviewGates: [{ paths: ["/a~2"] }] }), 422);
    expect(await auditOf(id)).toEqual(before);
  });
});
