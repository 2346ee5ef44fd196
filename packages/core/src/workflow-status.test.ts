import { describe, expect, it } from "vitest";
import type { WorkflowStatus } from "./schemas/workflow-state.ts";
import { catchError } from "./testing/catch-error.ts";
import { assertTransition, canTransition } from "./workflow-status.ts";

const STATUSES: WorkflowStatus[] = [
  "pending",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
];

const ALLOWED: Record<WorkflowStatus, WorkflowStatus[]> = {
  pending: ["running", "cancelled"],
  running: ["paused", "completed", "failed", "cancelled"],
  paused: ["running", "cancelled"],
  failed: ["running", "cancelled"],
  completed: [],
  cancelled: [],
};

describe("canTransition", () => {
  it.each(STATUSES)("allows exactly the lifecycle's moves out of %s", (from) => {
    const reachable = STATUSES.filter((to) => to !== from && canTransition(from, to));
    expect(reachable).toEqual(ALLOWED[from]);
  });

  it("allows staying in the same status, even a final one", () => {
    for (const status of STATUSES) expect(canTransition(status, status)).toBe(true);
  });

  it("retries a failed workflow but never reopens a completed or cancelled one", () => {
    expect(canTransition("failed", "running")).toBe(true);
    expect(canTransition("completed", "running")).toBe(false);
    expect(canTransition("cancelled", "pending")).toBe(false);
  });
});

describe("assertTransition", () => {
  it("passes an allowed move and a no-op", () => {
    expect(() => assertTransition("pending", "running")).not.toThrow();
    expect(() => assertTransition("completed", "completed")).not.toThrow();
  });

  it("refuses a forbidden move as VALIDATION_FAILED at /status, listing what is allowed", () => {
    const error = catchError(() => assertTransition("paused", "completed"));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.path).toBe("/status");
    expect(error.details).toEqual({
      from: "paused",
      to: "completed",
      allowed: ["running", "cancelled"],
    });
    expect(error.message).toBe(
      "a paused workflow cannot become completed: it can go to running, cancelled",
    );
  });

  it("says a final status is final", () => {
    expect(catchError(() => assertTransition("cancelled", "running")).message).toBe(
      "a cancelled workflow cannot become running: it is final",
    );
  });
});
