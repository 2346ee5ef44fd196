import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ChangeInbox, planChanges } from "./change-inbox.ts";
import { ChangeAck, ChangeDelivery } from "./schemas/change-delivery.ts";
import type { StateEvent } from "./schemas/state-event.ts";

function event(version: number, workflowId = "w1"): StateEvent {
  return {
    workflowId,
    version,
    branch: "main",
    parents: version === 1 ? [] : [version - 1],
    author: "a",
    changeDescription: "",
    timestamp: 0,
    checksum: "0".repeat(64),
    patch: [],
    changes: [],
  };
}

const versions = (events: StateEvent[]) => events.map((e) => e.version);

describe("planChanges", () => {
  it("applies every event after the last applied one, in version order", () => {
    const plan = planChanges(2, [event(5), event(3), event(4)]);
    expect(versions(plan.apply)).toEqual([3, 4, 5]);
    expect(plan).toMatchObject({ duplicates: 0, upTo: 5 });
    expect(plan.gap).toBeUndefined();
  });

  it("drops redelivered and repeated versions", () => {
    const plan = planChanges(4, [event(3), event(4), event(5), event(5), event(6)]);
    expect(versions(plan.apply)).toEqual([5, 6]);
    expect(plan).toMatchObject({ duplicates: 3, upTo: 6 });
  });

  it("answers the last applied version when everything was seen", () => {
    const plan = planChanges(9, [event(8), event(9)]);
    expect(plan).toEqual({ apply: [], duplicates: 2, upTo: 9 });
  });

  it("reports a gap after an applied version, but not for a first delivery", () => {
    expect(planChanges(3, [event(6), event(7)]).gap).toEqual({ after: 3, next: 6 });
    expect(planChanges(0, [event(6)]).gap).toBeUndefined();
  });
});

describe("ChangeInbox", () => {
  it("keeps one cursor per workflow, never moving back, and round-trips through JSON", () => {
    const inbox = new ChangeInbox({ w1: 2 });
    expect(versions(inbox.plan({ workflowId: "w1", events: [event(2), event(3)] }).apply)).toEqual([
      3,
    ]);
    inbox.applied("w1", 3);
    inbox.applied("w1", 1);
    inbox.applied("w2", 7);
    const again = new ChangeInbox(JSON.parse(JSON.stringify(inbox)));
    expect(again.toJSON()).toEqual({ w1: 3, w2: 7 });
    expect(again.lastApplied("w3")).toBe(0);
  });
});

describe("ChangeDelivery and ChangeAck", () => {
  it("accept a delivery and an answer, and refuse an empty delivery and a negative answer", () => {
    expect(v.is(ChangeDelivery, { workflowId: "w1", events: [event(1)] })).toBe(true);
    expect(v.is(ChangeDelivery, { workflowId: "w1", events: [] })).toBe(false);
    expect(v.is(ChangeAck, { upTo: 0 })).toBe(true);
    expect(v.is(ChangeAck, { upTo: -1 })).toBe(false);
  });
});
