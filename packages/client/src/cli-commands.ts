import type { JsonPatch, JsonValue, Priority, WorkflowStatus } from "@chorus/core";
import type { ChorusClient } from "./client.ts";
import {
  describeCommit,
  describeCreated,
  formatHealth,
  formatHistory,
  formatPatch,
  formatSnapshots,
  formatStateRead,
  formatWorkflowPage,
} from "./format.ts";
import type { StateRead } from "./types.ts";

/** What a command gets: the client, its positional arguments, its flags, and how to read input. */
export interface CommandContext {
  client: ChorusClient;
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  /** reads JSON from a file path, or from stdin for `-` or no path */
  readJson(path: string | undefined): Promise<unknown>;
}

/**
 * A CLI command: its usage line, what it does, and how a person reads its answer. The value
 * `run` returns is printed as JSON, or through `readable` on a terminal.
 */
export interface Command<T = unknown> {
  usage: string;
  run(ctx: CommandContext): Promise<T>;
  /** the answer as lines for a person; a command without one prints JSON everywhere */
  readable?(value: T, ctx: CommandContext): string | string[];
}

// Ties `readable` to what `run` returns, then files the command with the others.
const command = <T>(spec: Command<T>): Command => spec as Command;

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A flag's value; a repeatable flag (`--tag`) given where one value is expected: the last one counts. */
export const str = (ctx: CommandContext, name: string) => {
  const value = ctx.flags[name];
  return typeof value === "string" ? value : Array.isArray(value) ? value.at(-1) : undefined;
};
/** A flag's value as a whole number; anything else is a usage mistake. */
export const int = (ctx: CommandContext, name: string) => {
  const value = str(ctx, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
  return Number(value);
};
/** A positional argument that must be there. */
export const arg = (ctx: CommandContext, index: number, name: string) => {
  const value = ctx.args[index];
  if (value === undefined) throw new UsageError(`missing <${name}>`);
  return value;
};
const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
const writeOptions = (ctx: CommandContext) =>
  defined({
    baseVersion: int(ctx, "base"),
    ifMatch: str(ctx, "if-match"),
    branch: str(ctx, "branch"),
    changeDescription: str(ctx, "message"),
  });

/** The commands, by name. */
export const COMMANDS: Record<string, Command> = {
  create: command({
    usage:
      "create <name> [--state <file|->] [--description <text>] [--priority <p>] [--tag <tag>]…",
    async run(ctx) {
      const stateFile = str(ctx, "state");
      const tags = ctx.flags.tag;
      return ctx.client.createWorkflow(
        defined({
          name: arg(ctx, 0, "name"),
          description: str(ctx, "description"),
          priority: str(ctx, "priority") as Priority | undefined,
          context: Array.isArray(tags) && tags.length > 0 ? { tags } : undefined,
          initialState:
            stateFile === undefined ? undefined : ((await ctx.readJson(stateFile)) as JsonValue),
        }),
      );
    },
    readable: describeCreated,
  }),
  list: command({
    usage: "list [--status <status>] [--tag <tag>] [--limit <n>] [--cursor <cursor>]",
    run: (ctx) =>
      ctx.client.listWorkflows(
        defined({
          status: str(ctx, "status") as WorkflowStatus | undefined,
          tag: str(ctx, "tag"),
          limit: int(ctx, "limit"),
          cursor: str(ctx, "cursor"),
        }),
      ),
    readable: formatWorkflowPage,
  }),
  get: command<StateRead | JsonValue>({
    usage: "get <workflowId> [--version <n>] [--branch <b>] [--path <pointer>] [--full]",
    async run(ctx) {
      const read = await ctx.client.getState(
        arg(ctx, 0, "workflowId"),
        defined({
          version: int(ctx, "version"),
          branch: str(ctx, "branch"),
          path: str(ctx, "path"),
        }),
      );
      return ctx.flags.full === true ? read : read.state;
    },
    // A state is JSON to read as much as to save, so only --full adds a heading.
    readable: (value, ctx) =>
      ctx.flags.full === true
        ? formatStateRead(value as StateRead)
        : JSON.stringify(value, null, 2),
  }),
  put: command({
    usage:
      "put <workflowId> [<file>|-] [--base <n>] [--if-match <checksum>] [--branch <b>] [--message <text>]",
    async run(ctx) {
      const state = (await ctx.readJson(ctx.args[1])) as JsonValue;
      return ctx.client.commit(arg(ctx, 0, "workflowId"), { state, ...writeOptions(ctx) });
    },
    readable: describeCommit,
  }),
  patch: command({
    usage:
      "patch <workflowId> [<file>|-] [--base <n>] [--if-match <checksum>] [--branch <b>] [--message <text>]",
    async run(ctx) {
      const patch = (await ctx.readJson(ctx.args[1])) as JsonPatch;
      return ctx.client.patch(arg(ctx, 0, "workflowId"), patch, writeOptions(ctx));
    },
    readable: describeCommit,
  }),
  history: command({
    usage: "history <workflowId> [--limit <n>] [--cursor <n>] [--branch <b>]",
    run: (ctx) =>
      ctx.client.history(
        arg(ctx, 0, "workflowId"),
        defined({
          limit: int(ctx, "limit"),
          cursor: int(ctx, "cursor"),
          branch: str(ctx, "branch"),
        }),
      ),
    readable: (page) => [
      ...formatHistory(page.versions),
      ...(page.nextCursor === null ? [] : [`more: --cursor ${page.nextCursor}`]),
    ],
  }),
  diff: command({
    usage: "diff <workflowId> <fromVersion> <toVersion>",
    run(ctx) {
      const [from, to] = [arg(ctx, 1, "fromVersion"), arg(ctx, 2, "toVersion")];
      if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) throw new UsageError("versions are numbers");
      return ctx.client.diff(arg(ctx, 0, "workflowId"), Number(from), Number(to));
    },
    readable: (diff) =>
      diff.patch.length === 0
        ? `no changes from v${diff.from} to v${diff.to}`
        : formatPatch(diff.patch),
  }),
  snapshot: command({
    usage: "snapshot <workflowId> [--description <text>] [--version <n>]",
    run: (ctx) =>
      ctx.client.createSnapshot(
        arg(ctx, 0, "workflowId"),
        defined({ description: str(ctx, "description"), version: int(ctx, "version") }),
      ),
    readable: (snapshot) => formatSnapshots([snapshot]),
  }),
  snapshots: command({
    usage: "snapshots <workflowId>",
    run: (ctx) => ctx.client.listSnapshots(arg(ctx, 0, "workflowId")),
    readable: formatSnapshots,
  }),
  restore: command({
    usage: "restore <workflowId> <snapshotId>",
    run: (ctx) => ctx.client.restore(arg(ctx, 0, "workflowId"), arg(ctx, 1, "snapshotId")),
    readable: describeCommit,
  }),
  health: command({
    usage: "health",
    run: (ctx) => ctx.client.health(),
    readable: formatHealth,
  }),
};
