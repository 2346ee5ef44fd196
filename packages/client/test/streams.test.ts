// Change streams against the real local stack: client.subscribe (SSE over fetch), LiveState
// replicas and `chorus watch`, with the gateway and the state manager in workerd (local-stack.ts).

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { applyPatch, checksum, type JsonValue, type StateEvent } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { ChorusClient, type LiveChange, NotFoundError, ValidationError } from "../src/index.ts";
import { useLocalStack } from "./local-stack.ts";

const local = useLocalStack();

async function newWorkflow(data: Record<string, JsonValue> = {}) {
  const created = await local.admin.createWorkflow({ name: "streams", initialState: { data } });
  return created.workflow.id;
}

/** Takes `count` events from a subscription, then stops it. */
async function take(events: AsyncIterable<StateEvent>, count: number): Promise<StateEvent[]> {
  const taken: StateEvent[] = [];
  if (count === 0) return taken;
  for await (const event of events) {
    taken.push(event);
    if (taken.length === count) break;
  }
  return taken;
}

/** Replays unfiltered events onto their parents' states and checks every checksum. */
async function verifyChain(events: readonly StateEvent[]): Promise<void> {
  const states = new Map<number, JsonValue>([[0, {}]]);
  for (const event of events) {
    const base = states.get(event.parents[0] ?? 0);
    if (base === undefined) throw new Error(`v${event.version}: parent state unknown`);
    const state = applyPatch(base, event.patch);
    expect(await checksum(state), `checksum of v${event.version}`).toBe(event.checksum);
    states.set(event.version, state);
  }
}

const versions = (events: readonly StateEvent[]) => events.map((event) => event.version);

/**
 * A fetch that cuts each `/events` body after `cutAfter` events (as a dropped connection would),
 * and records the `Last-Event-ID` of every stream request.
 */
function cuttingFetch(cutAfter: number) {
  const resumedFrom: Array<string | null> = [];
  const fetchFn = async (input: string, init: RequestInit) => {
    const response = await fetch(input, init);
    if (!new URL(input).pathname.endsWith("/events") || response.body === null) return response;
    resumedFrom.push(new Headers(init.headers).get("last-event-id"));
    const reader = response.body.getReader();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        controller.enqueue(value);
        seen += new TextDecoder().decode(value).split("event: version").length - 1;
        if (seen >= cutAfter) {
          await reader.cancel();
          controller.error(new TypeError("terminated: the connection was cut"));
        }
      },
      cancel: () => reader.cancel(),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetchFn, resumedFrom };
}

describe("subscribe", () => {
  it("replays from since, then delivers live commits in order, every checksum verified", async () => {
    const id = await newWorkflow({ n: 0 });
    await local.admin.commit(id, { state: { data: { n: 1 } } });
    const events = local.admin.subscribe(id, { since: 0 });
    const taking = take(events, 6);
    for (let n = 2; n <= 5; n++) await local.admin.commit(id, { state: { data: { n } } });
    const taken = await taking;
    expect(versions(taken)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(taken[5]).toMatchObject({
      workflowId: id,
      branch: "main",
      parents: [5],
      author: "admin",
      patch: [{ op: "replace", path: "/data/n", value: 5 }],
    });
    await verifyChain(taken);
  });

  it("starts live from the newest version when no since is given", async () => {
    const id = await newWorkflow({ n: 0 });
    await local.admin.commit(id, { state: { data: { n: 1 } } });
    const iterator = local.admin.subscribe(id);
    const first = iterator.next();
    // The start is read before the stream opens; give it time, then commit.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await local.admin.commit(id, { state: { data: { n: 2 } } });
    expect((await first).value).toMatchObject({ version: 3, parents: [2] });
    await iterator.return();
  });

  it("resumes a cut connection from the last version received, losing and repeating nothing", async () => {
    const id = await newWorkflow({ n: 0 });
    for (let n = 1; n <= 4; n++) await local.admin.commit(id, { state: { data: { n } } });
    const { fetchFn, resumedFrom } = cuttingFetch(2);
    const client = new ChorusClient({
      baseUrl: local.stack.url,
      token: local.stack.token,
      fetch: fetchFn,
    });
    const taking = take(client.subscribe(id, { since: 0, maxBackoffMs: 50 }), 10);
    for (let n = 5; n <= 9; n++) await local.admin.commit(id, { state: { data: { n } } });
    const taken = await taking;
    expect(versions(taken)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await verifyChain(taken);
    // Each connection was cut after two events (or one chunk holding more): resumed each time.
    expect(resumedFrom.length).toBeGreaterThanOrEqual(2);
    expect(resumedFrom[0]).toBe("0");
    const resumes = resumedFrom.slice(1).map(Number);
    expect(resumes).toEqual([...resumes].sort((a, b) => a - b));
    expect(resumes.every((since) => since >= 2 && since < 10)).toBe(true);
  });

  it("sends only matching changes with paths and types, and skips versions with none", async () => {
    const id = await newWorkflow({ a: 0, b: 0 });
    const byPath = local.admin.subscribe(id, { since: 1, paths: ["/data/a"] });
    const byType = local.admin.subscribe(id, { since: 1, types: ["workflow-status"] });
    const byBranch = local.admin.subscribe(id, { since: 1, branch: "side" });
    await local.admin.commit(id, { state: { data: { a: 0, b: 1 } } }); // v2: b only
    await local.admin.commit(id, { state: { data: { a: 1, b: 1 } } }); // v3: a
    await local.admin.commit(id, { state: { data: { a: 1, b: 1 }, status: "running" } }); // v4: status
    await local.admin.createBranch(id, { name: "side" });
    await local.admin.commit(id, { state: { data: { a: 2, b: 1 } }, branch: "side" }); // v5 on side
    const [path] = await take(byPath, 1);
    expect(path).toMatchObject({ version: 3, patch: [{ path: "/data/a", value: 1 }] });
    const [nextPath] = await take(local.admin.subscribe(id, { since: 3, paths: ["/data/a"] }), 1);
    expect(nextPath).toMatchObject({ version: 5, branch: "side" });
    const [type] = await take(byType, 1);
    expect(type?.version).toBe(4);
    expect(type?.changes.map((change) => change.type)).toEqual(["workflow-status"]);
    const [side] = await take(byBranch, 1);
    expect(side).toMatchObject({ version: 5, branch: "side", parents: [4] });
  });

  it("ends cleanly when its signal aborts, while waiting for an event", async () => {
    const id = await newWorkflow();
    const controller = new AbortController();
    const events: StateEvent[] = [];
    const following = (async () => {
      for await (const event of local.admin.subscribe(id, {
        since: 0,
        signal: controller.signal,
      })) {
        events.push(event);
      }
      return "ended";
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    expect(await following).toBe("ended");
    expect(versions(events)).toEqual([1]);
  });

  it("throws the server's refusal: an unknown workflow, a since past the head, a bad filter", async () => {
    const id = await newWorkflow();
    await expect(take(local.admin.subscribe("wf_missing", { since: 0 }), 1)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(take(local.admin.subscribe(id, { since: 9 }), 1)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const error = await take(local.admin.subscribe(id, { since: 0, paths: ["nope"] }), 1).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]?.path).toBe("/query/paths");
  });
});

describe("LiveState", () => {
  type Doc = { data: Record<string, JsonValue> };

  it("converges across 50 commits by another client, verifying every checksum", async () => {
    const id = await newWorkflow({ n: 0 });
    const live = await local.admin.live<Doc>(id);
    const changes: LiveChange[] = [];
    live.onChange((change) => changes.push(change));
    const writer = new ChorusClient({ baseUrl: local.stack.url, token: local.stack.token });
    let last = 0;
    for (let n = 1; n <= 50; n++) {
      const result = await writer.patch(id, [{ op: "add", path: `/data/k${n}`, value: n }]);
      last = result.version.version;
    }
    await live.waitFor(last);
    const head = await local.admin.getState<Doc>(id);
    expect(live.version).toBe(head.version);
    expect(live.checksum).toBe(head.checksum);
    expect(live.state).toEqual(head.state);
    expect(await checksum(live.state)).toBe(head.checksum);
    expect(changes.map((change) => change.type)).toEqual(Array(50).fill("event"));
    expect(changes.map((change) => change.version)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 2),
    );
    await live.close();
  });

  it("detects a tampered replica by its checksum and reads the head again", async () => {
    const id = await newWorkflow({ n: 0 });
    const live = await local.admin.live<Doc>(id);
    const changes: LiveChange[] = [];
    live.onChange((change) => changes.push(change));
    live.state.data.n = 99; // the replica no longer holds version 1
    const result = await local.admin.patch(id, [{ op: "add", path: "/data/m", value: 1 }]);
    await live.waitFor(result.version.version);
    expect(changes).toEqual([{ type: "resync", version: 2, reason: "checksum" }]);
    expect(live.state).toEqual({ data: { n: 0, m: 1 } });
    expect(live.checksum).toBe(result.version.checksum);
    // Followed on from the head it read: the next version is applied and verified.
    const next = await local.admin.patch(id, [{ op: "add", path: "/data/o", value: 2 }]);
    await live.waitFor(next.version.version);
    expect(changes.at(-1)).toMatchObject({ type: "event", version: 3 });
    await live.close();
  });

  it("writes with its own version as baseVersion, so two replicas' disjoint edits merge", async () => {
    const id = await newWorkflow({ a: 0, b: 0 });
    const planner = await local.admin.live<Doc>(id);
    const builder = await local.admin.live<Doc>(id);
    // Both write from version 1 at once: one fast-forwards, the other merges into it.
    const results = await Promise.all([
      planner.commit({ data: { ...planner.state.data, a: 1 } }),
      builder.patch([{ op: "replace", path: "/data/b", value: 2 }]),
    ]);
    expect(results.map((result) => result.origin).sort()).toEqual(["fast-forward", "merge"]);
    await Promise.all([planner.waitFor(3), builder.waitFor(3)]);
    expect(planner.state).toEqual({ data: { a: 1, b: 2 } });
    expect(builder.checksum).toBe(planner.checksum);
    await Promise.all([planner.close(), builder.close()]);
  });

  it("follows only its branch", async () => {
    const id = await newWorkflow({ a: 0 });
    await local.admin.createBranch(id, { name: "side" });
    const side = await local.admin.live<Doc>(id, { branch: "side" });
    await local.admin.commit(id, { state: { data: { a: 1 } } }); // v2 on main
    const result = await side.commit({ data: { a: 2 } }); // v3 on side
    await side.waitFor(result.version.version);
    expect(side.state).toEqual({ data: { a: 2 } });
    expect(side.version).toBe(3);
    await side.close();
  });
});

describe("chorus watch", () => {
  /** Runs `chorus watch …` until `until` holds for its output, then interrupts it. */
  async function watch(argv: string[], tty: boolean, until: (out: string) => boolean) {
    const out: string[] = [];
    const controller = new AbortController();
    let poll: ReturnType<typeof setInterval> | undefined;
    const reached = new Promise<void>((resolve) => {
      poll = setInterval(() => until(out.join("")) && resolve(), 20);
    });
    const code = main(["watch", ...argv], {
      env: { CHORUS_URL: local.stack.url, CHORUS_TOKEN: local.stack.token },
      isTTY: tty,
      stdout: (text) => out.push(text),
      stderr: (text) => out.push(text),
      readStdin: async () => "",
      signal: controller.signal,
    });
    await reached;
    clearInterval(poll);
    controller.abort();
    return { code: await code, stdout: out.join("") };
  }

  it("prints one readable line per version on a terminal, as they arrive", async () => {
    const id = await newWorkflow({ n: 0 });
    await local.admin.commit(id, { state: { data: { n: 1 } }, changeDescription: "first" });
    const watching = watch([id, "--since", "1"], true, (out) => out.includes("v3"));
    await local.admin.patch(id, [{ op: "add", path: "/data/m", value: 2 }], {
      changeDescription: "second",
    });
    const { code, stdout } = await watching;
    expect(code).toBe(0);
    const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ`;
    expect(stdout).toMatch(
      new RegExp(
        `^v2  admin  ${time}  first  replace /data/n = 1\nv3  admin  ${time}  second  add /data/m = 2\n$`,
      ),
    );
  });

  it("prints JSON lines off a terminal, filtered by --paths and --types", async () => {
    const id = await newWorkflow({ a: 0, b: 0 });
    await local.admin.commit(id, { state: { data: { a: 0, b: 1 } } });
    await local.admin.commit(id, { state: { data: { a: 1, b: 1 } } });
    const { stdout } = await watch(
      [id, "--since", "1", "--paths", "/data/a", "--types", "metadata-update,task-update"],
      false,
      (out) => out.includes("\n"),
    );
    const lines = stdout.trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as StateEvent).version)).toEqual([3]);
  });

  it("stops on Ctrl-C (bin/chorus.mjs)", async () => {
    const id = await newWorkflow();
    const bin = fileURLToPath(new URL("../bin/chorus.mjs", import.meta.url));
    const child = spawn(process.execPath, [bin, "watch", id, "--since", "0"], {
      env: { ...process.env, CHORUS_URL: local.stack.url, CHORUS_TOKEN: local.stack.token },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stdout.includes("\n")) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ workflowId: id, version: 1 });
  });
});
