import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { COMMANDS, UsageError } from "./cli-commands.ts";
import { type StreamCommand, watch } from "./cli-watch.ts";
import { ChorusClient } from "./client.ts";
import { ChorusApiError } from "./errors.ts";
import type { FetchLike } from "./http.ts";

/** Where the CLI reads and writes; the defaults are the process's. */
export interface CliIo {
  env: Record<string, string | undefined>;
  /** whether stdout is a terminal: answers are printed for a person there, as JSON elsewhere */
  isTTY?: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  fetch?: FetchLike;
  /** ends a following command (`watch`); by default SIGINT (Ctrl-C) does */
  signal?: AbortSignal;
}

/** Commands that print items as they arrive until interrupted. */
const STREAMS: Record<string, StreamCommand<unknown>> = {
  watch: watch as StreamCommand<unknown>,
};

const DEFAULT_URL = "http://127.0.0.1:8787";

const OPTIONS = {
  state: { type: "string" },
  description: { type: "string" },
  priority: { type: "string" },
  tag: { type: "string", multiple: true },
  status: { type: "string" },
  limit: { type: "string" },
  cursor: { type: "string" },
  version: { type: "string" },
  branch: { type: "string" },
  path: { type: "string" },
  full: { type: "boolean" },
  base: { type: "string" },
  "if-match": { type: "string" },
  message: { type: "string", short: "m" },
  json: { type: "boolean" },
  since: { type: "string" },
  paths: { type: "string", multiple: true },
  types: { type: "string", multiple: true },
} as const;

/**
 * Runs one `chorus` command line.
 * @param argv the arguments after the program name, e.g. `["get", "w1", "--version", "3"]`
 * @param io environment and streams (the process's by default)
 * @returns the exit code: 0 done, 1 the API or the network refused, 2 a usage mistake
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(usage());
    return 0;
  }
  const stream = STREAMS[name];
  const command = COMMANDS[name] ?? stream;
  if (command === undefined) {
    io.stderr(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`usage: chorus ${command.usage} [--json]\n`);
    return 0;
  }
  const client = new ChorusClient({
    baseUrl: io.env.CHORUS_URL || DEFAULT_URL,
    ...(io.env.CHORUS_TOKEN ? { token: io.env.CHORUS_TOKEN } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: OPTIONS,
      allowPositionals: true,
    });
    const readJson = async (path: string | undefined) => {
      const text =
        path === undefined || path === "-" ? await io.readStdin() : await readFile(path, "utf8");
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        const source = path === undefined || path === "-" ? "stdin" : path;
        throw new UsageError(`${source} is not JSON: ${(error as Error).message}`);
      }
    };
    const ctx = { client, args: positionals, flags: values, readJson };
    if (stream !== undefined) {
      const readable = forPerson(io) && values.json !== true;
      for await (const item of stream.follow(ctx, io.signal ?? interruption())) {
        io.stdout(`${readable ? stream.readable(item) : JSON.stringify(item)}\n`);
      }
      return 0;
    }
    if (!("run" in command)) throw new Error(`${name} has no run`);
    const result = await command.run(ctx);
    // As gh and wrangler do: for a person at a terminal a readable form, for anything else
    // (a pipe, a file, a script, or --json) the JSON the API answered.
    const readable = forPerson(io) && values.json !== true ? command.readable : undefined;
    const text = readable
      ? [readable(result, ctx)].flat().join("\n")
      : JSON.stringify(result, null, 2);
    io.stdout(`${text}\n`);
    return 0;
  } catch (error) {
    return report(error, io, command.usage);
  }
}

// CHORUS_FORCE_TTY (like gh's GH_FORCE_TTY) asks for the readable form where stdout is no
// terminal, e.g. through a pager.
function forPerson(io: CliIo): boolean {
  const force = io.env.CHORUS_FORCE_TTY;
  return io.isTTY === true || (force !== undefined && force !== "" && force !== "0");
}

function report(error: unknown, io: CliIo, commandUsage: string): number {
  if (error instanceof ChorusApiError) {
    io.stderr(`error: ${error.status} ${error.message}\n`);
    for (const issue of error.errors) io.stderr(`  ${issue.path || "/"}: ${issue.message}\n`);
    return 1;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS")) {
    io.stderr(`error: ${(error as Error).message}\nusage: chorus ${commandUsage}\n`);
    return 2;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") {
    io.stderr(
      `error: nothing answers at ${io.env.CHORUS_URL || DEFAULT_URL}; is \`npm start\` running?\n`,
    );
    return 1;
  }
  const why = cause?.message ? ` (${cause.message})` : "";
  io.stderr(`error: ${error instanceof Error ? error.message : String(error)}${why}\n`);
  return 1;
}

/** A signal that SIGINT (Ctrl-C) aborts, for a command that follows a stream. */
function interruption(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  return controller.signal;
}

function usage(): string {
  const lines = [...Object.values(COMMANDS), ...Object.values(STREAMS)].map(
    (command) => `  chorus ${command.usage}`,
  );
  return `usage:\n${lines.join("\n")}

On a terminal answers are printed for reading; --json (or output to a pipe or a file) prints
the JSON the API answered. watch prints one line per version (JSON lines off a terminal) until
Ctrl-C.

environment:
  CHORUS_URL        the gateway (default ${DEFAULT_URL})
  CHORUS_TOKEN      a bearer token (npm start prints the dev admin token)
  CHORUS_FORCE_TTY  set: print for reading even when stdout is no terminal
`;
}

function processIo(): CliIo {
  return {
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
