// The chorus CLI against the real local stack (local-stack.ts), as a terminal and a pipe see it.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { JsonValue } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { useLocalStack } from "./local-stack.ts";

const local = useLocalStack();

/** A new workflow whose version 1 is `{ data }`. */
async function newWorkflow(data: Record<string, JsonValue> = {}) {
  const created = await local.admin.createWorkflow({ name: "cli test", initialState: { data } });
  return created.workflow.id;
}

describe("chorus CLI", () => {
  /**
   * Runs one command line against the stack; `stdin` is what it reads for `-`, `tty` whether
   * stdout counts as a terminal.
   */
  async function chorus(argv: string[], stdin = "", tty = false) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      env: { CHORUS_URL: local.stack.url, CHORUS_TOKEN: local.stack.token },
      isTTY: tty,
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      readStdin: async () => stdin,
    });
    const stdout = out.join("");
    return { code, stdout, stderr: err.join(""), json: () => JSON.parse(stdout) as unknown };
  }

  it("creates, puts, patches, reads, lists history, diffs, snapshots and restores", async () => {
    const created = await chorus(["create", "cli demo", "--tag", "cli", "--priority", "low"]);
    expect(created.code).toBe(0);
    const id = (created.json() as { workflow: { id: string } }).workflow.id;

    const put = await chorus(["put", id, "-", "--base", "1", "-m", "first"], '{"data":{"n":1}}');
    expect(put.json()).toMatchObject({ version: { version: 2, changeDescription: "first" } });
    const patch = '[{"op":"replace","path":"/data/n","value":2}]';
    expect((await chorus(["patch", id, "-", "--base", "2"], patch)).code).toBe(0);
    expect((await chorus(["get", id])).json()).toEqual({ data: { n: 2 } });
    expect((await chorus(["get", id, "--version", "2", "--path", "/data/n"])).json()).toBe(1);
    expect((await chorus(["get", id, "--full"])).json()).toMatchObject({ version: 3 });

    const history = (await chorus(["history", id, "--limit", "2"])).json() as HistoryJson;
    expect(history.versions.map((v) => v.version)).toEqual([3, 2]);
    expect((await chorus(["diff", id, "1", "3"])).json()).toMatchObject({
      patch: [{ op: "add", path: "/data", value: { n: 2 } }],
    });

    const snapshot = (await chorus(["snapshot", id, "--description", "n=2"])).json() as {
      id: string;
    };
    await chorus(["put", id, "-"], '{"data":{}}');
    expect((await chorus(["snapshots", id])).json()).toMatchObject([{ id: snapshot.id }]);
    expect((await chorus(["restore", id, snapshot.id])).json()).toMatchObject({
      origin: "restore",
    });
    expect((await chorus(["get", id])).json()).toEqual({ data: { n: 2 } });
    expect((await chorus(["list", "--tag", "cli"])).json()).toMatchObject({ workflows: [{ id }] });
    expect((await chorus(["health"])).json()).toMatchObject({ status: "ok" });
  });

  it("prints every answer for reading on a terminal, and JSON with --json", async () => {
    const tty = (...argv: string[]) => chorus(argv, "", true);
    const ttyWith = (stdin: string, ...argv: string[]) => chorus(argv, stdin, true);
    const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ`;

    const created = await tty("create", "cli tty", "--tag", "cli-tty", "--priority", "low");
    expect(created.code).toBe(0);
    const match = /^created (wf_\w+) "cli tty" \(pending, low\), v1 on main\n$/.exec(
      created.stdout,
    );
    const id = match?.[1] ?? expect.fail(`not the readable create: ${created.stdout}`);

    const put = await ttyWith('{"data":{"n":1}}', "put", id, "-", "--base", "1", "-m", "first");
    expect(put.stdout).toBe("v2 (fast-forward)\n");
    const patch = '[{"op":"replace","path":"/data/n","value":2}]';
    expect((await ttyWith(patch, "patch", id, "-", "--base", "2")).stdout).toBe(
      "v3 (fast-forward)\n",
    );

    expect((await tty("get", id)).stdout).toBe('{\n  "data": {\n    "n": 2\n  }\n}\n');
    const full = new RegExp(
      `^v3 on main at /data, by admin ${time}: —\\nchecksum [0-9a-f]{64}\\n\\{\\n {2}"n": 2\\n\\}\\n$`,
    );
    expect((await tty("get", id, "--full", "--path", "/data")).stdout).toMatch(full);

    const history = (await tty("history", id, "--limit", "2")).stdout.split("\n");
    expect(history[0]).toMatch(new RegExp(`^v3  admin  ${time}  —$`));
    expect(history[1]).toMatch(new RegExp(`^v2  admin  ${time}  first$`));
    expect(history.slice(2)).toEqual(["more: --cursor 2", ""]);
    expect((await tty("history", id, "--cursor", "2")).stdout).toMatch(
      new RegExp(`^v1  admin  ${time}  Create workflow\n$`),
    );

    expect((await tty("diff", id, "2", "3")).stdout).toBe("replace /data/n = 2\n");
    expect((await tty("diff", id, "3", "3")).stdout).toBe("no changes from v3 to v3\n");
    expect((await tty("list", "--tag", "cli-tty")).stdout).toMatch(
      new RegExp(`^${id}  pending  low  ${time}  cli tty #cli-tty\n$`),
    );

    const snapshot = await tty("snapshot", id, "--description", "n=2");
    const snapshotId =
      /^(\S+) {2}v3 {2}/.exec(snapshot.stdout)?.[1] ?? expect.fail(snapshot.stdout);
    expect(snapshot.stdout).toMatch(new RegExp(`^${snapshotId}  v3  ${time}  admin  n=2\n$`));
    expect((await tty("snapshots", id)).stdout).toBe(snapshot.stdout);
    expect((await tty("restore", id, snapshotId)).stdout).toBe("v4 (restore)\n");
    expect((await tty("health")).stdout).toMatch(
      /^ok, gateway version \S+\ngateway {7}up {2}0 ms\nstateManager {2}up {2}\d+ ms\ncoordinator {3}up {2}\d+ ms\n$/,
    );

    // --json on a terminal prints what the output to a pipe prints.
    for (const argv of [
      ["history", id],
      ["diff", id, "1", "4"],
      ["list", "--tag", "cli-tty"],
    ]) {
      const json = await tty(...argv, "--json");
      expect(json.json()).toEqual((await chorus(argv)).json());
      expect(json.stdout.startsWith("{")).toBe(true);
    }
  });

  it("prints JSON into a pipe and the readable form with CHORUS_FORCE_TTY (bin/chorus.mjs)", async () => {
    const id = await newWorkflow({ n: 1 });
    const bin = fileURLToPath(new URL("../bin/chorus.mjs", import.meta.url));
    const run = (env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, [bin, "history", id], {
        env: {
          ...process.env,
          CHORUS_URL: local.stack.url,
          CHORUS_TOKEN: local.stack.token,
          ...env,
        },
      });
    const piped = await run({ CHORUS_FORCE_TTY: "" });
    expect(JSON.parse(piped.stdout)).toMatchObject({
      versions: [{ version: 1 }],
      nextCursor: null,
    });
    const forced = await run({ CHORUS_FORCE_TTY: "1" });
    expect(forced.stdout).toMatch(/^v1 {2}admin {2}\S+ \S+Z {2}Create workflow\n$/);
  });

  it("prints an API error with its issues and exits 1", async () => {
    const result = await chorus(["get", "wf_missing"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: 404 Not Found: /);
  });

  it("exits 2 on a usage mistake", async () => {
    expect((await chorus(["diff", "w1", "one", "2"])).code).toBe(2);
    expect((await chorus(["put", "w1", "-"], "not json")).stderr).toMatch(/stdin is not JSON/);
    expect((await chorus(["nope"])).code).toBe(2);
  });
});

type HistoryJson = { versions: Array<{ version: number }> };
