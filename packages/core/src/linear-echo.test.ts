import { describe, expect, it } from "vitest";
import { changedSyncFields, isEmptySyncChange } from "./linear-echo.ts";

describe("changedSyncFields", () => {
  it("keeps only members whose value differs from the recorded one", () => {
    expect(
      changedSyncFields(
        { title: "a", status: "ready", assignee: null },
        { title: "a", status: "completed", assignee: null },
      ),
    ).toEqual({ status: "completed" });
  });

  it("treats a value the sync wrote itself as an echo, not a change", () => {
    const written = { title: "pushed", stateId: "s1", assigneeId: null };
    expect(isEmptySyncChange(changedSyncFields(written, { ...written }))).toBe(true);
  });

  it("ignores members the incoming side does not carry, but sees a change to null", () => {
    expect(changedSyncFields({ title: "a", assigneeId: "u1" }, { assigneeId: null })).toEqual({
      assigneeId: null,
    });
    expect(changedSyncFields({ title: "a" }, {})).toEqual({});
  });

  it("does not ping-pong: alternating edits from each side are each applied once", () => {
    let chorus = { title: "t0" };
    let linear = { title: "t0" };
    let applied = 0;
    for (let i = 1; i <= 50; i++) {
      const edit = { title: `t${i}` };
      // The edit lands on one side; the sync carries it over and records it on both.
      const change = changedSyncFields(i % 2 ? chorus : linear, edit);
      if (!isEmptySyncChange(change)) applied++;
      chorus = { ...chorus, ...change };
      linear = { ...linear, ...change };
      // Its echo comes back from the other side and must change nothing.
      expect(changedSyncFields(i % 2 ? linear : chorus, edit)).toEqual({});
    }
    expect(applied).toBe(50);
  });
});
