import { env } from "cloudflare:workers";
import { CoordinatorStorage, unwrap } from "@chorus/core";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { registerAgent } from "./agent-helpers.ts";
import { register, service } from "./helpers.ts";

async function storage(): Promise<CoordinatorStorage> {
  return v.parse(CoordinatorStorage, unwrap(await service.storage()));
}

describe("storage", () => {
  it("counts every shard, the workflows and agents they hold, and their databases' bytes", async () => {
    const before = await storage();
    expect(before.workflows.shards).toBe(Number(env.REGISTRY_SHARDS));
    expect(before.agents.shards).toBe(Number(env.AGENT_SHARDS));
    // Descriptions of 2 KB: 100 KB more than fits in the pages the shards had.
    for (let i = 0; i < 50; i++) await register({ description: "x".repeat(2_000) });
    for (let i = 0; i < 3; i++) await registerAgent();
    const after = await storage();
    expect(after.workflows.records).toBe(before.workflows.records + 50);
    expect(after.agents.records).toBe(before.agents.records + 3);
    expect(after.workflows.bytes).toBeGreaterThanOrEqual(before.workflows.bytes + 100_000);
    expect(after.agents.bytes).toBeGreaterThanOrEqual(before.agents.bytes);
    expect(after.agents.bytes).toBeGreaterThan(0);
  });
});
