import { describe, expect, it } from "vitest";
import { SerialQueue } from "../src/serial-queue.ts";

/**
 * A queue whose yields between batches are counted and noted in `log`.
 * @param busyWindowMs how recent the last batch must be for the queue to count as busy; a test
 *   about a busy queue passes a wide one, so a loaded machine's slow clock cannot decide it
 */
function countingQueue(log: string[], busyWindowMs = 5) {
  let yields = 0;
  const queue = new SerialQueue({
    busyWindowMs,
    yieldTurn: async () => {
      yields++;
      log.push(`yield ${yields}`);
      await scheduler.wait(0);
    },
  });
  return { queue, yields: () => yields };
}

describe("SerialQueue", () => {
  it("runs tasks one at a time, in arrival order, even when they await", async () => {
    const queue = new SerialQueue();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue.run(async () => {
          running++;
          most = Math.max(most, running);
          await scheduler.wait(i % 3);
          order.push(i);
          running--;
          return i * 2;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it("runs the tasks that queued while it was busy together, yielding once per batch", async () => {
    const log: string[] = [];
    const { queue, yields } = countingQueue(log, 60_000);
    const task = (name: string) => () => {
      log.push(name);
      return Promise.resolve(name);
    };
    // `a` runs at once, alone; `b` and `c` queued meanwhile and run as the next batch, after
    // which the busy queue yields.
    await Promise.all([queue.run(task("a")), queue.run(task("b")), queue.run(task("c"))]);
    // `d` arrives while the queue is yielding: a batch of its own, and the queue is still busy.
    await queue.run(task("d"));
    expect(log.slice(0, 5)).toEqual(["a", "b", "c", "yield 1", "d"]);
    await scheduler.wait(20);
    expect(yields()).toBe(2);
  });

  it("does not yield for a task that comes while it is idle", async () => {
    const log: string[] = [];
    const { queue, yields } = countingQueue(log);
    await queue.run(async () => log.push("alone"));
    await scheduler.wait(20);
    await queue.run(async () => log.push("later, alone"));
    expect(log).toEqual(["alone", "later, alone"]);
    expect(yields()).toBe(0);
  });

  it("starts a lone task at once, without waiting for the yield", async () => {
    const log: string[] = [];
    const { queue } = countingQueue(log);
    const started = queue.run(async () => {
      log.push("ran");
    });
    // Synchronously, before any event loop turn: the task has already started.
    expect(log).toEqual(["ran"]);
    await started;
  });

  it("fails only the task that fails, whether it rejects or throws before returning", async () => {
    const queue = new SerialQueue();
    const ok = queue.run(async () => "ok");
    const rejects = queue.run(async () => {
      throw new Error("rejected");
    });
    const throws = queue.run((() => {
      throw new Error("thrown");
    }) as () => Promise<never>);
    const after = queue.run(async () => "after");
    await expect(ok).resolves.toBe("ok");
    await expect(rejects).rejects.toThrow("rejected");
    await expect(throws).rejects.toThrow("thrown");
    await expect(after).resolves.toBe("after");
  });
});
