import { DurableObject } from "cloudflare:workers";
import {
  attempt,
  type ChangeAck,
  type Overview,
  type Result,
  STREAM_PING,
  STREAM_PONG,
  summarizeOverview,
} from "@chorus/core";
import { applyMigrations } from "@chorus/do-sql";
import { messageOf } from "./agent-log.ts";
import { DashboardInterest } from "./dashboard-interest.ts";
import { DashboardStore } from "./dashboard-store.ts";
import { pickSampled, readRegistry, readSample } from "./overview-sources.ts";
import { positiveVar } from "./positive-var.ts";
import { resumeChanges } from "./resume-changes.ts";
import { DASHBOARD_MIGRATIONS } from "./sql/dashboard-schema.ts";

/** Pushes to the page's sockets are at least this far apart (ms), however fast commits come. */
const PUSH_MS = 250;

/**
 * While a page is connected, the coordinator's lists are read again this often (ms): agents'
 * heartbeats and registrations commit nothing, so no delivery tells of them.
 */
const DEFAULT_REFRESH_MS = 5000;

/** `GET /api/overview` reads the coordinator's lists again when they are older than this (ms). */
const REGISTRY_FRESH_MS = 1000;

/**
 * With no page connected, the dashboard keeps its sampled workflows' deliveries for this long
 * (ms) after the last overview asked for, then pauses them until someone looks again.
 */
const DEFAULT_QUIET_MS = 60_000;

/** After a failed refresh, the alarm tries again after this long (ms). */
const RETRY_MS = 1000;

/**
 * The Integration Dashboard: one object for the whole deployment (see {@link dashboardOf}) that
 * keeps the overview across workflows. Change deliveries mark a workflow stale. While a page is
 * connected over a hibernatable WebSocket, its alarm, at most every {@link PUSH_MS}, reads the
 * stale workflows' samples again (tasks, conflicts, recent versions, over STATE) and, at the
 * refresh pace, the coordinator's lists, sums them with core's `summarizeOverview` and pushes
 * the overview to every page; with no page, a stale sample is read when an overview is asked for.
 */
export class IntegrationDashboard extends DurableObject<AgentsEnv> {
  readonly #store: DashboardStore;
  readonly #interest: DashboardInterest;
  #pushedAt = 0;

  constructor(ctx: DurableObjectState, env: AgentsEnv) {
    super(ctx, env);
    this.#store = new DashboardStore(ctx.storage.sql);
    this.#interest = new DashboardInterest(
      positiveVar(env, "DASHBOARD_QUIET_MS", DEFAULT_QUIET_MS),
    );
    // Answered by the runtime without waking the object: a page's keep-alive.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(STREAM_PING, STREAM_PONG));
    void ctx.blockConcurrencyWhile(async () =>
      applyMigrations(ctx.storage.sql, DASHBOARD_MIGRATIONS),
    );
  }

  /**
   * Notes a workflow's delivered changes: its sample is read again at the next push.
   * @param input the workflow and the newest version delivered
   * @returns the version acknowledged (the dashboard needs only to know that it changed)
   */
  async noteChanges(input: { workflowId: string; upTo: number }): Promise<Result<ChangeAck>> {
    return attempt(async () => {
      const { workflowId, upTo } = input;
      if (this.#interest.pausable(workflowId, this.#watched(), Date.now())) {
        return { upTo, pause: true };
      }
      this.#store.markStale(workflowId, upTo);
      // With no page to push to, the mark waits for the next overview asked for: reading
      // samples and the coordinator's lists on every commit would cost the writers for nobody.
      // A workflow the lists lack is looked up soon all the same, so that, unless picked, its
      // later deliveries pause.
      if (this.#watched()) await this.#armAt(Math.max(Date.now(), this.#pushedAt + PUSH_MS));
      else if (!this.#interest.known(workflowId)) await this.#armAt(Date.now() + REGISTRY_FRESH_MS);
      return { upTo };
    });
  }

  /** @returns the overview, with the coordinator's lists at most {@link REGISTRY_FRESH_MS} old */
  overview(): Promise<Result<Overview>> {
    return attempt(async () => {
      this.#interest.asked(Date.now());
      return (await this.#refresh(REGISTRY_FRESH_MS)).overview;
    });
  }

  /**
   * Accepts a page's WebSocket (hibernatable: the object may leave memory while it is open) and
   * sends it the overview at once; each later push is one Overview JSON text message.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected Upgrade: websocket", { status: 426 });
    }
    this.#interest.asked(Date.now());
    const { overview } = await this.#refresh(REGISTRY_FRESH_MS);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify(overview));
    await this.#armAt(Date.now() + this.#refreshMs());
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Pushes what changed to the pages, and comes back while a page is connected. */
  override async alarm(): Promise<void> {
    if (!this.#watched()) {
      // Unwatched, the alarm only reads the lists, to learn which new workflows to pause.
      await this.#refresh(REGISTRY_FRESH_MS).catch((error: unknown) => {
        log("warn", `lists not read: ${messageOf(error)}`);
      });
      return;
    }
    try {
      // The lists change without a delivery (heartbeats), so they are read at the page's
      // refresh pace; a stale sample is read at the push pace.
      const { overview, failed } = await this.#refresh(this.#refreshMs());
      this.#pushedAt = Date.now();
      this.#broadcast(JSON.stringify(overview));
      // A workflow that could not be read keeps its mark; it is tried again after a pause.
      if (failed > 0) await this.#armAt(this.#pushedAt + RETRY_MS);
      else if (this.#store.stale().size > 0) await this.#armAt(this.#pushedAt + PUSH_MS);
      else await this.#armAt(this.#pushedAt + this.#refreshMs());
    } catch (error) {
      // Caught, so the runtime's own alarm retries do not pile up behind ours.
      log("error", `refresh failed: ${messageOf(error)}`);
      await this.#armAt(Date.now() + RETRY_MS);
    }
  }

  override webSocketMessage(): void {
    // Pages only listen; `ping` is answered by the auto-response.
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    // Compatibility date 2026-04-01: a close is answered by hand (RFC 6455 §5.5.1).
    try {
      ws.close(code === 1005 ? 1000 : code, "closed");
    } catch {
      // Closed already.
    }
  }

  /**
   * Reads what is out of date and sums the overview: the coordinator's lists when older than
   * `registryMaxAge` or when a workflow they lack changed, and the sample of every picked workflow that is stale or never read. A
   * workflow that cannot be read is logged and counted in `failed`; the overview keeps its
   * last sample, so one workflow never stops the others' figures.
   */
  async #refresh(registryMaxAge: number): Promise<{ overview: Overview; failed: number }> {
    const now = Date.now();
    let registry = this.#store.registry();
    const known = new Set(registry?.workflows.map((workflow) => workflow.id));
    // A workflow that changed but is not in the lists yet is new: read them again to see it.
    const unknown = [...this.#store.stale().keys()].some((id) => !known.has(id));
    if (registry === undefined || unknown || now - registry.readAt >= registryMaxAge) {
      const read = await readRegistry(this.env);
      this.#store.putRegistry(read.workflows, read.agents, now);
      registry = { ...read, readAt: now };
    }
    const picked = pickSampled(registry.workflows);
    const ids = picked.map((workflow) => workflow.id);
    const knownIds = registry.workflows.map((workflow) => workflow.id);
    const resumed = await this.#interest.update(knownIds, ids, this.#watched(), now, (id) =>
      this.#resume(id),
    );
    this.#store.keepOnly(ids);
    // Resumed before they are read, so no commit falls between the read and the next delivery.
    for (const id of resumed) this.#store.markStale(id, 0);
    const stale = this.#store.stale();
    const samples = this.#store.samples(ids);
    let failed = 0;
    await Promise.all(
      picked
        .filter((workflow) => stale.has(workflow.id) || !samples.has(workflow.id))
        .map(async (workflow) => {
          try {
            const sample = await readSample(this.env, workflow);
            this.#store.putSample(sample, stale.get(workflow.id) ?? 0, now);
            samples.set(workflow.id, sample);
          } catch (error) {
            failed += 1;
            log("warn", `could not sample ${workflow.id}: ${messageOf(error)}`);
          }
        }),
    );
    const overview = summarizeOverview({
      now,
      workflows: registry.workflows,
      agents: registry.agents,
      // The registry's record is the newer one (a status change commits, but may be read later).
      samples: picked.flatMap((workflow) => {
        const sample = samples.get(workflow.id);
        return sample === undefined ? [] : [{ ...sample, workflow }];
      }),
    });
    return { overview, failed };
  }

  async #resume(workflowId: string): Promise<boolean> {
    try {
      const resumed = await resumeChanges(this.env, workflowId);
      if (resumed.ok) return true;
      log("warn", `could not resume ${workflowId}: ${resumed.error.message}`);
    } catch (error) {
      log("warn", `could not resume ${workflowId}: ${messageOf(error)}`);
    }
    return false;
  }

  #broadcast(message: string): void {
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        // A page that went away; its close arrives on its own.
      }
    }
  }

  #watched(): boolean {
    return this.ctx.getWebSockets().length > 0;
  }

  async #armAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  #refreshMs(): number {
    return positiveVar(this.env, "DASHBOARD_REFRESH_MS", DEFAULT_REFRESH_MS);
  }
}

/** One structured log line of the dashboard (the agents' line, without an agent or workflow). */
function log(level: "warn" | "error", message: string): void {
  const line = JSON.stringify({ level, type: "integration-dashboard", message });
  if (level === "error") console.error(line);
  else console.warn(line);
}

/**
 * The one IntegrationDashboard of the deployment.
 * @param env the agents worker's bindings
 * @returns its stub
 */
export function dashboardOf(env: AgentsEnv): DurableObjectStub<IntegrationDashboard> {
  const ns = env.INTEGRATION_DASHBOARD;
  return ns.get(ns.idFromName("overview"));
}
