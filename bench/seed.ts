import { ChorusClient } from "@chorus/client";
import { benchState } from "./state-doc.ts";

/** What the load runs against: a writer token and the workflows it writes. */
export interface Seed {
  /** an admin-issued `writer` token, valid for every workflow */
  writerToken: string;
  /** workflow ids; the first is the one the single-workflow scenarios use */
  workflowIds: string[];
}

/** How many creations are in flight at once while seeding. */
const SEED_CONCURRENCY = 16;

/**
 * Issues a writer token and creates `count` workflows, each starting at a 1 KB state.
 * @param url the gateway's base URL
 * @param adminToken the admin token the gateway accepts
 * @param count how many workflows
 * @returns the token and the workflow ids, in creation order
 */
export async function seed(url: string, adminToken: string, count: number): Promise<Seed> {
  const admin = new ChorusClient({ baseUrl: url, token: adminToken });
  const { token } = await admin.createToken({ name: "bench-writer", role: "writer" });
  const writer = new ChorusClient({ baseUrl: url, token });
  const workflowIds = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const created = await writer.createWorkflow({
        name: `bench workflow ${index}`,
        initialState: benchState(index, 0),
      });
      workflowIds[index] = created.workflow.id;
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return { writerToken: token, workflowIds };
}
