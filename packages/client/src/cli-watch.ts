import type { StateChangeType, StateEvent } from "@chorus/core";
import { arg, type CommandContext, int, str } from "./cli-commands.ts";
import { describeEvent } from "./format.ts";

/** A CLI command that prints items as they arrive, until its signal aborts. */
export interface StreamCommand<T> {
  usage: string;
  follow(ctx: CommandContext, signal: AbortSignal): AsyncIterable<T>;
  /** one item as a line for a person; JSON lines elsewhere */
  readable(item: T): string;
}

// `--paths a,b --paths c`: commas and repetition both add to the list.
const list = (ctx: CommandContext, name: string): string[] | undefined => {
  const value = ctx.flags[name];
  const items = (Array.isArray(value) ? value : typeof value === "string" ? [value] : [])
    .flatMap((item) => item.split(","))
    .filter((item) => item !== "");
  return items.length === 0 ? undefined : items;
};

/**
 * `chorus watch <id>`: each committed version as it arrives (a readable line on a terminal, a
 * JSON line elsewhere), until Ctrl-C.
 */
export const watch: StreamCommand<StateEvent> = {
  usage: "watch <workflowId> [--since <n>] [--branch <b>] [--paths <glob,…>] [--types <type,…>]",
  follow(ctx, signal) {
    const since = int(ctx, "since");
    const branch = str(ctx, "branch");
    const paths = list(ctx, "paths");
    const types = list(ctx, "types") as StateChangeType[] | undefined;
    return ctx.client.subscribe(arg(ctx, 0, "workflowId"), {
      signal,
      ...(since === undefined ? {} : { since }),
      ...(branch === undefined ? {} : { branch }),
      ...(paths === undefined ? {} : { paths }),
      ...(types === undefined ? {} : { types }),
    });
  },
  readable: describeEvent,
};
