import type { JsonObject } from "@chorus/core";

/** The size, in bytes of JSON, of the state every workflow holds. */
export const STATE_BYTES = 1024;

// Replaced by the step number in the request body templates below.
const STEP = 987_654_321;

/**
 * A workflow state of about {@link STATE_BYTES} bytes of JSON: the required-looking members and a
 * checklist in `metadata`, so diffing and canonicalising see nested objects and arrays, not one
 * long string.
 * @param index which workflow (goes into its name)
 * @param step the value that each benchmark commit changes
 * @returns the state
 */
export function benchState(index: number, step: number): JsonObject {
  const checklist: JsonObject[] = [];
  const state = {
    name: `bench workflow ${index}`,
    status: "running",
    priority: "normal",
    metadata: { step, owner: "bench", checklist },
  };
  for (let item = 0; JSON.stringify(state).length < STATE_BYTES - 60; item++) {
    checklist.push({ id: `c${item}`, label: `check item ${item} of the release`, done: false });
  }
  const pad = STATE_BYTES - JSON.stringify(state).length - `,"note":""`.length;
  return { ...state, metadata: { ...state.metadata, note: "x".repeat(Math.max(0, pad)) } };
}

/** A request body with `step` in place, made without rebuilding the JSON each time. */
export type BodyTemplate = (step: number) => string;

/** What a `POST …/state` body is for: a commit, or one refused at a known depth. */
export type CommitKind = "commit" | "refused-by-gateway" | "refused-by-state-manager";

/**
 * The body of `POST …/state`: the whole 1 KB state with a new step number and no `baseVersion`
 * (a last-writer-wins write: see README.md). The refused kinds are as large and fail late, to
 * time a commit's stages: `refused-by-gateway` is valid up to a boolean `changeDescription`
 * (422 after the gateway has parsed and validated the state), `refused-by-state-manager` has a
 * status no workflow has (422 from the state manager's validation, before anything is written).
 * @param index which workflow the state names (the body is about 1 KB for any index below 10⁶)
 * @param kind which body
 * @returns the template
 */
export function commitBody(index: number, kind: CommitKind = "commit"): BodyTemplate {
  const state = benchState(index, STEP);
  if (kind === "refused-by-state-manager") state.status = "not-a-status";
  const text = JSON.stringify({
    state,
    changeDescription: kind === "refused-by-gateway" ? false : "bench step",
  });
  const [before, after] = text.split(String(STEP));
  return (step) => `${before}${step}${after}`;
}

/**
 * The body of `PATCH …/state`: a JSON Patch that replaces the step number.
 * @returns the template
 */
export function patchBody(): BodyTemplate {
  return (step) => `[{"op":"replace","path":"/metadata/step","value":${step}}]`;
}
