import {
  CONTEXT_VIEW_REVISION,
  canonicalize,
  estimateTokens,
  type JsonValue,
  type Problem,
} from "@chorus/core";
import { workflowState } from "@chorus/core/bench/fixtures";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, sampleState } from "./helpers.ts";

interface View {
  version: number;
  budget: number;
  tokens: number;
  sections: Array<{
    name: string;
    source: string;
    condensed: boolean;
    tokens: number;
    content: JsonValue;
  }>;
  omitted: Array<{ section: string; ref: string; reason: string; count?: number; tokens: number }>;
}

/** A workflow of `size` tasks of every status, each with notes, and a log under /data. */
function bigState(size = 40) {
  const statuses = ["pending", "ready", "claimed", "completed", "failed", "cancelled"];
  const tasks: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    tasks[`t${i}`] = {
      id: `t${i}`,
      title: `Review module ${i}`,
      status: statuses[i % statuses.length],
      updatedAt: 1_000 + i,
      notes: `Module ${i} depends on module ${i + 1}; check its interfaces before merging.`,
    };
  }
  const log = Array.from({ length: 50 }, (_, i) => `step ${i}: built and tested`);
  return sampleState({ tasks, data: { log } });
}

const context = (id: string, query: string) =>
  api(`/api/workflows/${id}/context?${query}`, { token: ADMIN });

async function read(id: string, query: string): Promise<{ view: View; cache: string | null }> {
  const response = await context(id, query);
  const cache = response.headers.get("x-chorus-cache");
  return { view: await expectStatus<View>(response, 200), cache };
}

describe("GET /api/workflows/{id}/context", () => {
  it("fits the budget, counted in o200k_base tokens", async () => {
    const { id } = await createWorkflow(bigState());
    for (const budget of [60, 400, 1500]) {
      const { view } = await read(id, `budget=${budget}`);
      expect(view).toMatchObject({ version: 1, budget });
      expect(view.tokens).toBeLessThanOrEqual(budget);
      expect(view.tokens).toBe(view.sections.reduce((sum, s) => sum + s.tokens, 0));
      for (const section of view.sections) {
        expect(section.tokens).toBe(countTokens(canonicalize(section.content)));
      }
    }
  });

  it("puts the focus first, as stored", async () => {
    const state = bigState();
    const { id } = await createWorkflow(state);
    const { view } = await read(id, "budget=800&focus=/tasks/t7");
    expect(view.sections[0]).toMatchObject({
      name: "focus",
      source: "/tasks/t7",
      condensed: false,
      content: (state.tasks as Record<string, JsonValue>).t7 as JsonValue,
    });
    expect(view.omitted).toContainEqual(
      expect.objectContaining({ ref: "/tasks/t7", reason: "repeated" }),
    );
  });

  it("names in omitted every open task it cut, and counts the finished ones", async () => {
    const { id } = await createWorkflow(bigState());
    const { view } = await read(id, "budget=300");
    const open = view.sections.find((s) => s.name === "open-tasks")?.content ?? [];
    const shown = new Set((open as Array<{ id: string }>).map((task) => `/tasks/${task.id}`));
    const cut = new Set(view.omitted.filter((o) => o.reason === "budget").map((o) => o.ref));
    for (let i = 0; i < 40; i++) {
      if (i % 6 === 3 || i % 6 === 5) continue; // completed, cancelled
      expect(shown.has(`/tasks/t${i}`) !== cut.has(`/tasks/t${i}`), `t${i}`).toBe(true);
    }
    expect(cut.size).toBeGreaterThan(0);
    expect(view.omitted).toContainEqual(
      expect.objectContaining({
        section: "finished-tasks",
        ref: "/tasks",
        reason: "condensed",
        count: 13,
      }),
    );
  });

  it("shows recent versions newest first with who changed what", async () => {
    const { id } = await createWorkflow(bigState());
    await expectStatus(
      api(`/api/workflows/${id}/state`, {
        method: "PATCH",
        token: ADMIN,
        json: [{ op: "replace", path: "/tasks/t1/status", value: "claimed" }],
        contentType: "application/json-patch+json",
      }),
      201,
    );
    const { view } = await read(id, "budget=4000");
    const recent = view.sections.find((s) => s.name === "recent-changes")?.content;
    expect(recent).toMatchObject([
      { version: 2, author: "admin", paths: ["/tasks/t1/status"] },
      { version: 1, author: "admin" },
    ]);
  });

  it("answers the same version, budget and focus alike, from the cache the second time", async () => {
    const { id } = await createWorkflow(bigState());
    const first = await context(id, "budget=500&focus=/data");
    expect(first.headers.get("x-chorus-cache")).toBe("miss");
    const text = await first.text();
    const second = await context(id, "budget=500&focus=/data");
    expect(second.headers.get("x-chorus-cache")).toBe("hit");
    expect(await second.text()).toBe(text);
    // Another budget is another view; a later commit changes the head, not version 1's view.
    expect((await read(id, "budget=501&focus=/data")).cache).toBe("miss");
    await expectStatus(
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: ADMIN,
        json: { state: sampleState({ name: "Renamed", data: { log: [] } }) },
      }),
      201,
    );
    const pinned = await context(id, "budget=500&focus=/data&version=1");
    expect(pinned.headers.get("x-chorus-cache")).toBe("hit");
    expect(await pinned.text()).toBe(text);
    const head = await read(id, "budget=500&focus=/data");
    expect(head).toMatchObject({ cache: "miss", view: { version: 2 } });
  });

  it("answers from the workflow's Context Optimizer when this colo's cache lost the view", async () => {
    const { id } = await createWorkflow(bigState());
    const first = await context(id, "budget=500&focus=/tasks/t2");
    expect(first.headers.get("x-chorus-cache")).toBe("miss");
    const text = await first.text();
    // The gateway's Cache API entry, as src/context-cache.ts keys it, evicted.
    const key = `https://context-cache.chorus.internal/${CONTEXT_VIEW_REVISION}/${id}/1?budget=500&focus=%2Ftasks%2Ft2`;
    expect(await caches.default.delete(key)).toBe(true);
    const second = await context(id, "budget=500&focus=/tasks/t2");
    expect(second.headers.get("x-chorus-cache")).toBe("hit");
    expect(await second.text()).toBe(text);
  });

  it("cuts a large workflow down to a small budget", async () => {
    const { id } = await createWorkflow(bigState(300));
    const { view } = await read(id, "budget=1000&focus=/tasks");
    expect(view.tokens).toBeLessThanOrEqual(1000);
    expect(view.tokens).toBeGreaterThan(800);
    expect(view.sections[0]?.name).toBe("focus");
    expect(view.omitted.length).toBeGreaterThan(0);
  });

  it.each([
    ["", 422, "/query/budget"],
    ["budget=0", 422, "/query/budget"],
    ["budget=-5", 422, "/query/budget"],
    ["budget=1.5", 422, "/query/budget"],
    ["budget=many", 422, "/query/budget"],
    ["budget=200001", 422, "/query/budget"],
    ["budget=100&focus=tasks", 422, "/query/focus"],
    ["budget=100&focus=/tasks/nope", 404, "/query/focus"],
    ["budget=100&version=0", 422, "/query/version"],
    ["budget=100&version=99", 404, "/query/version"],
  ])("refuses ?%s with %i at %s", async (query, status, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(context(id, query), status);
    expect(problem.errors[0]?.path).toBe(path);
  });

  it("refuses a workflow that does not exist", async () => {
    const problem = await expectStatus<Problem>(context("wf_nope", "budget=100"), 404);
    expect(problem.errors[0]?.path).toBe("/params/id");
  });

  it("measures the tokenizer-free estimate against o200k_base", () => {
    const errors = [3, 30, 300].map((tasks) => {
      const text = canonicalize(workflowState(tasks));
      const real = countTokens(text);
      return (estimateTokens(text) - real) / real;
    });
    console.info(
      `estimateTokens vs o200k_base on generated states: ${errors.map((e) => `${(e * 100).toFixed(1)}%`).join(", ")}`,
    );
    for (const error of errors) expect(Math.abs(error)).toBeLessThan(0.15);
  });
});
