import { WorkerEntrypoint } from "cloudflare:workers";
import {
  attempt,
  type ChangeAck,
  ChangeDelivery,
  type Overview,
  type Result,
  validateOrThrow,
} from "@chorus/core";
import { dashboardOf } from "./integration-dashboard.ts";

/**
 * The IntegrationDashboard's RPC surface (bind it with `entrypoint: "DashboardService"`): the
 * state manager delivers every workflow's changes to it (a `CHANGE_CONSUMERS` name of its own,
 * so its cursor is its own and a slow dashboard holds up no agent), and the gateway reads the
 * overview and opens the page's live socket through it.
 */
export class DashboardService extends WorkerEntrypoint<AgentsEnv> {
  /**
   * The change consumer interface: a workflow's next committed versions. The dashboard only
   * notes that the workflow changed; its alarm reads the figures.
   */
  async deliverChanges(input: ChangeDelivery): Promise<Result<ChangeAck>> {
    const parsed = await attempt(async () => validateOrThrow(ChangeDelivery, input));
    if (!parsed.ok) return parsed;
    const { workflowId, events } = parsed.value;
    const upTo = events[events.length - 1]?.version ?? 0;
    return (await dashboardOf(this.env).noteChanges({ workflowId, upTo })) as Result<ChangeAck>;
  }

  /** The overview across workflows (core's `Overview`), as the dashboard keeps it. */
  async overview(): Promise<Result<Overview>> {
    return (await dashboardOf(this.env).overview()) as Result<Overview>;
  }

  /**
   * The page's live connection: a WebSocket upgrade (the gateway authenticated it), accepted by
   * the dashboard object. Anything else is 426.
   */
  override fetch(request: Request): Promise<Response> {
    return dashboardOf(this.env).fetch(request);
  }
}
