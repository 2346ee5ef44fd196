/**
 * A tour of @chorus/core with three simulated agents editing one workflow state:
 * concurrent edits that merge, a real conflict settled by a rule, checksums, and a
 * delta-encoded history read back. Run with `pnpm --filter @chorus/core demo`.
 */
import {
  applyPatch,
  checksum,
  type DeltaEntry,
  diff,
  encodeVersion,
  type JsonValue,
  merge,
  reconstruct,
} from "../src/index.ts";

const base = {
  id: "wf-demo",
  name: "Release 1.4",
  status: "running",
  priority: "high",
  tasks: {
    build: { id: "build", status: "running", assignee: "builder" },
    review: { id: "review", status: "pending", assignee: null as string | null },
    docs: { id: "docs", status: "pending", assignee: null as string | null },
  },
  agents: {},
  context: { userId: "u-1", tags: ["release"] },
  metadata: { retries: 0 },
  data: {},
};

const show = (label: string, value: unknown) =>
  console.log(`${label.padEnd(28)} ${JSON.stringify(value)}`);

console.log("Three agents start from version 1 of the same state.\n");
const reviewer = structuredClone(base);
reviewer.tasks.review = { id: "review", status: "running", assignee: "reviewer" };
reviewer.metadata.retries = 1;
const writer = structuredClone(base);
writer.tasks.docs = { id: "docs", status: "completed", assignee: "writer" };
writer.metadata.retries = 2;

const first = merge(base, reviewer, writer, {
  rules: [{ path: "/metadata/retries", strategy: "sum" }],
});
show("clean merges:", first.clean);
show(
  "settled by a rule:",
  first.resolved.map((r) => `${r.path} (${r.strategy})`),
);
show("conflicts left:", first.conflicts);
show("retries after merge:", (first.value as typeof base).metadata.retries);

console.log("\nTwo agents now disagree about the build task:");
const ok = structuredClone(first.value as typeof base);
ok.tasks.build.status = "completed";
const failed = structuredClone(first.value as typeof base);
failed.tasks.build.status = "failed";
const clash = merge(first.value, ok, failed);
show("conflict:", clash.conflicts);
const lww = merge(first.value, ok, failed, {
  defaultStrategy: "last-writer-wins",
  oursTimestamp: 1000,
  theirsTimestamp: 2000,
});
show("last-writer-wins keeps:", (lww.value as typeof base).tasks.build.status);

console.log("\nEvery version is a patch plus a checksum:");
const patch = diff(base, lww.value);
show("patch from v1:", patch);
show("checksum v1:", await checksum(base));
show("checksum merged:", await checksum(lww.value));
show(
  "patch replays exactly:",
  JSON.stringify(applyPatch(base, patch)) === JSON.stringify(lww.value),
);

console.log("\nA 20-version history, keyframe every 8 versions:");
const entries = new Map<number, DeltaEntry>();
let previous: { entry: DeltaEntry; state: JsonValue } | undefined;
let state: JsonValue = base;
for (let version = 1; version <= 20; version++) {
  state = { ...(state as object), data: { step: version } } as JsonValue;
  const entry = encodeVersion(previous, { version, state }, { keyframeInterval: 8 });
  entries.set(version, entry);
  previous = { entry, state };
}
const kinds = [...entries.values()]
  .map((entry) => (entry.kind === "keyframe" ? "K" : "p"))
  .join("");
show("stored as:", kinds);
show("version 13 rebuilt:", (reconstruct(13, (v) => entries.get(v)) as { data: unknown }).data);
