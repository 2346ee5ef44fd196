import { spliceJson } from "@chorus/core";
import { runBatch } from "./batch.ts";
import type { BatchInput } from "./batch-input.ts";
import type { BenchEnv } from "./env.ts";
import { release } from "./release.ts";

/** The methods Node may call on each binding. */
const ROUTES = {
  state: ["noop", "create", "configure", "commit", "getState", "getStateText", "metrics"],
  floor: ["insert", "sink", "hold", "source", "profile", "steps"],
} as const;

type Rpc = (input: unknown) => Promise<unknown>;

/**
 * Node's way in: `POST /<target>/<method>` with the RPC argument as JSON calls that method on
 * the `STATE` or `FLOOR` service binding and answers its result as JSON. `POST /http/echo`
 * answers without any RPC: the cost of the HTTP leg alone. `POST /batch/run` runs a throughput
 * measurement inside workerd (see batch.ts).
 */
export default {
  async fetch(request, env): Promise<Response> {
    const [, target, method] = new URL(request.url).pathname.split("/");
    if (target === "http" && method === "echo") return Response.json({ ok: true, value: null });
    if (target === "batch") {
      const value = await runBatch(env, (await request.json()) as BatchInput);
      return Response.json({ ok: true, value });
    }
    const names: readonly string[] =
      target === "state" ? ROUTES.state : target === "floor" ? ROUTES.floor : [];
    if (method === undefined || !names.includes(method)) {
      return Response.json({ error: `no route /${target}/${method}` }, { status: 404 });
    }
    const service = (target === "state" ? env.STATE : env.FLOOR) as unknown as Record<string, Rpc>;
    // Call through the stub, unbound: `.call`/`.apply` on an RPC stub are remote names too.
    const call = service[method] as Rpc;
    const result = await call(await request.json());
    const response =
      method === "getStateText" || method === "source"
        ? withStateText(result as TextResult)
        : Response.json(result);
    release(result);
    return response;
  },
} satisfies ExportedHandler<BenchEnv>;

type TextResult = { ok: boolean; value?: { json?: string } & Record<string, unknown> };

/**
 * Answers a state read as text the way the gateway does: the state's JSON spliced into the
 * answer as it came, neither parsed nor serialized again.
 */
function withStateText(result: TextResult): Response {
  // Without text when the caller held the version (`ifNoneMatch`).
  if (!result.ok || result.value?.json === undefined) return Response.json(result);
  const { json, ...rest } = result.value;
  return new Response(`{"ok":true,"value":${spliceJson(rest, "state", json)}}`, {
    headers: { "content-type": "application/json" },
  });
}
