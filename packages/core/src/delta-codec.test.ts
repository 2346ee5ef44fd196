import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { DeltaEntry, encodeVersion, reconstruct, reconstructAsync } from "./delta-codec.ts";
import { diff } from "./diff.ts";
import type { JsonValue } from "./json.ts";
import { catchError, catchErrorAsync } from "./testing/catch-error.ts";

const board = (done: number): JsonValue => ({
  title: "Launch",
  tasks: Array.from({ length: 20 }, (_, i) => ({ id: i, title: `task ${i}`, done: i < done })),
});

/** Stores versions 1..count of `board`, each against the one before. */
function linearHistory(count: number, keyframeInterval: number): Map<number, DeltaEntry> {
  const entries = new Map<number, DeltaEntry>();
  let previous: { entry: DeltaEntry; state: JsonValue } | undefined;
  for (let version = 1; version <= count; version++) {
    const state = board(version);
    const entry = encodeVersion(previous, { version, state }, { keyframeInterval });
    entries.set(version, entry);
    previous = { entry, state };
  }
  return entries;
}

describe("encodeVersion", () => {
  it("stores the first version whole and later ones as patches", () => {
    const entries = linearHistory(3, 10);
    expect(entries.get(1)).toEqual({ version: 1, kind: "keyframe", state: board(1) });
    expect(entries.get(3)).toEqual({
      version: 3,
      kind: "patch",
      base: 2,
      chain: 2,
      patch: [{ op: "replace", path: "/tasks/2/done", value: true }],
    });
  });

  it("starts a new keyframe when the chain would reach the interval", () => {
    const kinds = [...linearHistory(9, 4).values()].map((entry) => entry.kind[0]).join("");
    expect(kinds).toBe("kpppkpppk");
    expect([...linearHistory(3, 1).values()].every((entry) => entry.kind === "keyframe")).toBe(
      true,
    );
  });

  it("takes the state's length from the caller when given, without measuring the state", () => {
    const state = { a: [1, 2, 3] };
    const first = encodeVersion(undefined, { version: 1, state }, { keyframeInterval: 9 });
    const next = { version: 2, state: { a: [1, 2, 4] } };
    const patchLength = JSON.stringify(diff(state, next.state)).length;
    const told = (stateLength: number) =>
      encodeVersion({ entry: first, state }, next, { keyframeInterval: 9, stateLength }).kind;
    expect(told(patchLength + 1)).toBe("patch");
    expect(told(patchLength)).toBe("keyframe");
  });

  it("stores a keyframe when the patch is no smaller than the state", () => {
    const first = encodeVersion(
      undefined,
      { version: 1, state: { a: [1, 2, 3] } },
      { keyframeInterval: 9 },
    );
    const next = encodeVersion(
      { entry: first, state: { a: [1, 2, 3] } },
      { version: 2, state: 7 },
      {
        keyframeInterval: 9,
      },
    );
    expect(next).toEqual({ version: 2, kind: "keyframe", state: 7 });
  });

  it("produces entries the DeltaEntry schema accepts", () => {
    for (const entry of linearHistory(5, 3).values()) expect(v.is(DeltaEntry, entry)).toBe(true);
  });
});

describe("reconstruct", () => {
  it("rebuilds every version, loading no more than the interval", () => {
    const entries = linearHistory(12, 5);
    for (let version = 1; version <= 12; version++) {
      const loaded: number[] = [];
      const state = reconstruct(version, (n) => {
        loaded.push(n);
        return entries.get(n);
      });
      expect(state).toEqual(board(version));
      expect(loaded.length).toBeLessThanOrEqual(5);
    }
  });

  it("follows base across branches rather than version - 1", () => {
    const options = { keyframeInterval: 8 };
    const root = encodeVersion(undefined, { version: 1, state: board(0) }, options);
    const trunk = encodeVersion(
      { entry: root, state: board(0) },
      { version: 2, state: board(1) },
      options,
    );
    const branch = encodeVersion(
      { entry: root, state: board(0) },
      { version: 3, state: board(5) },
      options,
    );
    const tip = encodeVersion(
      { entry: branch, state: board(5) },
      { version: 4, state: board(6) },
      options,
    );
    const entries = new Map([root, trunk, branch, tip].map((entry) => [entry.version, entry]));
    expect(tip).toMatchObject({ kind: "patch", base: 3, chain: 2 });
    expect(reconstruct(4, (n) => entries.get(n))).toEqual(board(6));
    expect(reconstruct(2, (n) => entries.get(n))).toEqual(board(1));
  });

  it("names the missing version when a link is gone", () => {
    const entries = linearHistory(4, 10);
    entries.delete(2);
    const error = catchError(() => reconstruct(4, (n) => entries.get(n)));
    expect(error).toMatchObject({ code: "NOT_FOUND", details: { version: 2 } });
  });

  it("refuses a looping chain or an entry stored under another version", () => {
    const loop: DeltaEntry = { version: 5, kind: "patch", base: 5, chain: 1, patch: [] };
    expect(catchError(() => reconstruct(5, () => loop)).code).toBe("INTEGRITY_FAILED");
    const misfiled: DeltaEntry = { version: 6, kind: "keyframe", state: null };
    expect(catchError(() => reconstruct(5, () => misfiled)).code).toBe("INTEGRITY_FAILED");
  });

  it("works the same with an asynchronous loader", async () => {
    const entries = linearHistory(7, 3);
    const load = async (n: number) => entries.get(n);
    expect(await reconstructAsync(7, load)).toEqual(board(7));
    entries.delete(5);
    const error = await catchErrorAsync(() => reconstructAsync(6, load));
    expect(error).toMatchObject({ code: "NOT_FOUND", details: { version: 5 } });
  });
});
