import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { type Bundle, bundle } from "./build.ts";

/** The one compatibility date of every Chorus worker (wrangler.jsonc). */
const COMPATIBILITY_DATE = "2026-04-01";

/** A running Miniflare with the state manager and the bench driver, and a way to call them. */
export interface Harness {
  /**
   * Sends `body` to the driver's `route` (`/state/commit`, `/floor/insert`, …) and parses the
   * JSON answer.
   */
  call<T = unknown>(route: string, body: string): Promise<T>;
  /** {@link call}, answering the text as it came, unparsed */
  send(route: string, body: string): Promise<string>;
  /** {@link send}, answering the bytes as they came, not even decoded */
  receive(route: string, body: string): Promise<ArrayBuffer>;
  /** where Durable Object SQLite files are kept */
  persistDir: string;
  dispose(): Promise<void>;
}

function fromBundle(name: string, built: Bundle) {
  return {
    name,
    modules: true,
    scriptPath: built.script,
    // Module names are relative to this root; the default (the cwd) would give them "../".
    modulesRoot: built.dir,
    compatibilityDate: COMPATIBILITY_DATE,
  } as const;
}

/**
 * Bundles both workers and starts them in one Miniflare, Durable Objects SQLite-backed and kept
 * on disk as in production. Node reaches the driver through a direct socket (no Miniflare entry
 * worker in between); the driver calls the state manager through a service binding to its
 * `StateService` entrypoint, exactly as the gateway will.
 * @returns the running harness
 */
export async function startHarness(): Promise<Harness> {
  const [stateManager, driver] = await Promise.all([
    bundle("wrangler.jsonc"),
    bundle("bench/worker/wrangler.jsonc"),
  ]);
  const persistDir = await mkdtemp(join(tmpdir(), "chorus-bench-do-"));
  const inspectorPort = process.env.BENCH_INSPECTOR_PORT;
  const mf = new Miniflare({
    durableObjectsPersist: persistDir,
    // For CPU profiles of the workers (bench/cpu-profile.ts): V8's inspector on this port.
    ...(inspectorPort === undefined ? {} : { inspectorPort: Number(inspectorPort) }),
    workers: [
      {
        ...fromBundle("chorus-bench-driver", driver),
        serviceBindings: {
          STATE: { name: "chorus-state-manager", entrypoint: "StateService" },
          FLOOR: { name: "chorus-bench-floor", entrypoint: "FloorService" },
        },
        unsafeDirectSockets: [{ port: 0 }],
      },
      {
        // The floors run in a worker of their own, as the state manager does: a call from the
        // driver crosses a worker boundary either way, and carrying 100 KB across one costs
        // more than within a worker (measured in commit ea5f174).
        ...fromBundle("chorus-bench-floor", driver),
        durableObjects: {
          // Kept in memory for the whole run: `source` answers what `hold` was given.
          FLOOR_OBJECT: { className: "Floor", useSQLite: true, unsafePreventEviction: true },
        },
      },
      {
        ...fromBundle("chorus-state-manager", stateManager),
        // The no-op RPC is the floor every ratio is taken against; off unless this says "1".
        bindings: { BENCH_FLOORS: "1" },
        durableObjects: { STATE_MANAGER: { className: "StateManager", useSQLite: true } },
        r2Buckets: { ARCHIVE: "chorus-archive" },
        analyticsEngineDatasets: { METRICS: { dataset: "chorus_state" } },
      },
    ],
  });
  const base = await mf.unsafeGetDirectURL("chorus-bench-driver");
  const harness: Harness = {
    async send(route: string, body: string): Promise<string> {
      return new TextDecoder().decode(await harness.receive(route, body));
    },
    async receive(route: string, body: string): Promise<ArrayBuffer> {
      const response = await fetch(new URL(route, base), {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      const bytes = await response.arrayBuffer();
      if (!response.ok) {
        throw new Error(`${route}: ${response.status} ${new TextDecoder().decode(bytes)}`);
      }
      return bytes;
    },
    async call<T>(route: string, body: string): Promise<T> {
      return JSON.parse(await harness.send(route, body)) as T;
    },
    persistDir,
    dispose: () => mf.dispose(),
  };
  return harness;
}
