/**
 * Change delivery to workers, measured from Node through Miniflare: the time from a commit's
 * acknowledgement (its answer reaching Node) to a consumer worker receiving its event, beside a
 * no-op RPC round trip in the same run, and the events per second delivered while writers commit
 * as fast as they can. `pnpm bench:delivery`; prints Markdown for ../README.md.
 *
 * The consumer ("chorus-bench-sink") answers each delivery at once and reports the versions it
 * received to Node through its outbound fetch, which Miniflare hands to a function here: its
 * receipt is timed by the same clock as the acknowledgement, and that report costs one workerd →
 * Node hop, about what the answer to a commit costs.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "@chorus/core/bench/stats";
import { Miniflare } from "miniflare";
import { type Bundle, bundle } from "./build.ts";

const COMPATIBILITY_DATE = "2026-04-01";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const BURST = Number(process.env.BENCH_BURST ?? 2000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);

const SINK = `
import { WorkerEntrypoint } from "cloudflare:workers";
export class Sink extends WorkerEntrypoint {
  async deliverChanges({ events }) {
    this.ctx.waitUntil(fetch("http://node/received", {
      method: "POST",
      body: JSON.stringify(events.map((event) => event.version)),
    }));
    return { ok: true, value: { upTo: events[events.length - 1].version } };
  }
}
export default { fetch: () => new Response("sink") };
`;

function fromBundle(name: string, built: Bundle) {
  return {
    name,
    modules: true,
    scriptPath: built.script,
    modulesRoot: built.dir,
    compatibilityDate: COMPATIBILITY_DATE,
  } as const;
}

const received = new Map<number, number>();
let onReceived: (() => void) | undefined;

async function main(): Promise<void> {
  const [stateManager, driver] = await Promise.all([
    bundle("wrangler.jsonc"),
    bundle("bench/worker/wrangler.jsonc"),
  ]);
  const mf = new Miniflare({
    durableObjectsPersist: await mkdtemp(join(tmpdir(), "chorus-bench-delivery-")),
    workers: [
      {
        ...fromBundle("chorus-bench-driver", driver),
        serviceBindings: {
          STATE: { name: "chorus-state-manager", entrypoint: "StateService" },
          FLOOR: { name: "chorus-bench-driver", entrypoint: "FloorService" },
        },
        durableObjects: { FLOOR_OBJECT: { className: "Floor", useSQLite: true } },
        unsafeDirectSockets: [{ port: 0 }],
      },
      {
        ...fromBundle("chorus-state-manager", stateManager),
        bindings: { BENCH_FLOORS: "1", CHANGE_CONSUMERS: "SINK" },
        serviceBindings: { SINK: { name: "chorus-bench-sink", entrypoint: "Sink" } },
        durableObjects: { STATE_MANAGER: { className: "StateManager", useSQLite: true } },
        r2Buckets: { ARCHIVE: "chorus-archive" },
        analyticsEngineDatasets: { METRICS: { dataset: "chorus_state" } },
      },
      {
        name: "chorus-bench-sink",
        modules: [{ type: "ESModule", path: "sink.js", contents: SINK }],
        compatibilityDate: COMPATIBILITY_DATE,
        outboundService: async (request) => {
          const at = performance.now();
          for (const version of (await request.json()) as number[]) received.set(version, at);
          onReceived?.();
          return new Response("ok");
        },
      },
    ],
  });
  const base = await mf.unsafeGetDirectURL("chorus-bench-driver");
  const call = async (route: string, body: unknown) => {
    const response = await fetch(new URL(route, base), {
      method: "POST",
      body: JSON.stringify(body),
    });
    const result = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!result.ok) throw new Error(`${route}: ${JSON.stringify(result.error)}`);
    return result.value;
  };
  const until = (version: number) =>
    new Promise<void>((resolve) => {
      onReceived = () => {
        if (received.has(version)) resolve();
      };
      onReceived();
    });

  try {
    const workflowId = "bench-delivery";
    await call("/state/create", {
      workflowId,
      state: { name: "bench", status: "running", tasks: {}, metadata: { counter: 0 } },
      author: "bench",
    });
    await until(1);
    const commit = (i: number) =>
      call("/state/commit", {
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: i }],
        author: "bench",
      }) as Promise<{ version: { version: number } }>;

    // Latency: one commit at a time, each waiting for its own delivery, a no-op after each.
    const lag: number[] = [];
    const noop: number[] = [];
    for (let i = 0; i < SAMPLES + 20; i++) {
      const answer = await commit(i);
      const acked = performance.now();
      const version = answer.version.version;
      await until(version);
      const noopStarted = performance.now();
      await call("/state/noop", { workflowId });
      const noopMs = performance.now() - noopStarted;
      if (i < 20) continue;
      lag.push((received.get(version) ?? Number.NaN) - acked);
      noop.push(noopMs);
    }

    // Throughput: WRITERS writers commit BURST versions as fast as they can.
    const first = ((await commit(-1)) as { version: { version: number } }).version.version;
    await until(first);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < BURST) await commit(next++);
      }),
    );
    const committedMs = performance.now() - started;
    await until(first + BURST);
    const deliveredMs = (received.get(first + BURST) ?? Number.NaN) - started;

    const ms = (value: number) => `${value.toFixed(2)} ms`;
    const row = (name: string, samples: number[]) =>
      `| ${name} | ${ms(quantile(samples, 0.5))} | ${ms(quantile(samples, 0.99))} |`;
    console.log(`Change delivery, ${SAMPLES} samples, ${new Date().toISOString().slice(0, 10)}\n`);
    console.log("| measure | p50 | p99 |\n| --- | --- | --- |");
    console.log(row("commit acknowledged → consumer received", lag));
    console.log(row("no-op RPC round trip (Node → driver → state manager)", noop));
    console.log(
      `\n${BURST} commits by ${WRITERS} writers: committed at ${((BURST / committedMs) * 1000).toFixed(0)}/s, ` +
        `delivered at ${((BURST / deliveredMs) * 1000).toFixed(0)} events/s ` +
        `(last event ${ms(deliveredMs - committedMs)} after the last acknowledgement)`,
    );
  } finally {
    await mf.dispose();
  }
}

await main();
