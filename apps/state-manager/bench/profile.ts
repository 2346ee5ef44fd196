import { deserialize, serialize } from "node:v8";
import {
  applyPatch,
  assertJson,
  canonicalize,
  diff,
  type JsonPatch,
  type JsonValue,
  sha256Hex,
  validateStateDocument,
} from "@chorus/core";
import { applyChange, asPatch, smallChange, workflowState } from "./fixtures.ts";

/** One step of the state manager's work, timed in Node on the same data. */
export interface ProfileStep {
  step: string;
  /** where the state manager does it */
  where: string;
  ms: number;
}

/** Median milliseconds per call of `fn`, over at least `budgetMs` of calls. */
async function timeIt(fn: () => unknown, budgetMs: number): Promise<number> {
  await fn();
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || samples.length < 5) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/**
 * Times, in Node's V8, the steps a small-change commit and a read go through inside the
 * worker, on the benchmark's own states: a rough breakdown of where the time goes (workerd runs
 * a newer V8, so the absolute numbers differ a little; the proportions are what matter).
 * @param taskCount the state's size in tasks
 * @param budgetMs time spent on each step
 * @returns the steps
 */
export async function profileCommit(taskCount: number, budgetMs: number): Promise<ProfileStep[]> {
  const base = workflowState(taskCount) as unknown as JsonValue;
  const change = smallChange(workflowState(taskCount), 1);
  const patch = asPatch(change) as JsonPatch;
  const shared = applyPatch(base, patch);
  const copied = JSON.parse(JSON.stringify(applyChange(workflowState(taskCount), change)));
  const canonical = canonicalize(shared);
  const keyframe = JSON.stringify(base);
  const patchText = JSON.stringify(patch);
  const steps: Array<[string, string, () => unknown]> = [
    [
      "structured clone of the whole state (one RPC hop)",
      "every `state` commit and read, per hop",
      () => deserialize(serialize(base)),
    ],
    [
      "applyPatch (structural sharing)",
      "`patch` commits: commit.ts incomingState",
      () => applyPatch(base, patch),
    ],
    [
      "assertJson (whole state)",
      "commit.ts validateIncoming + version-writer.ts prepareVersion: twice",
      () => assertJson(shared),
    ],
    [
      "validateStateDocument (valibot, whole state)",
      "commit.ts validateIncoming",
      () => validateStateDocument(shared),
    ],
    ["canonicalize (whole state)", "version-writer.ts prepareVersion", () => canonicalize(shared)],
    [
      "TextEncoder.encode + sha256Hex (whole state)",
      "version-writer.ts: size check and checksum",
      () => sha256Hex(canonical),
    ],
    [
      "diff vs parent, sharing subtrees (`patch` commit)",
      "core encodeVersion",
      () => diff(base, shared),
    ],
    ["diff vs parent, no sharing (`state` commit)", "core encodeVersion", () => diff(base, copied)],
    [
      "JSON.stringify (whole state)",
      "keyframe every 32 versions; the bench driver's answer to a read",
      () => JSON.stringify(base),
    ],
    [
      "JSON.parse of a keyframe",
      "version-store.ts #keyframe: old reads",
      () => JSON.parse(keyframe),
    ],
    [
      "JSON.parse + applyPatch of one stored patch",
      "old reads, per version past the keyframe",
      () => applyPatch(base, JSON.parse(patchText) as JsonPatch),
    ],
  ];
  const out: ProfileStep[] = [];
  for (const [step, where, fn] of steps) out.push({ step, where, ms: await timeIt(fn, budgetMs) });
  return out;
}
