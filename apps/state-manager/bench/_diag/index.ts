import { StateManager as Real } from "../../src/state-manager.ts";
export { StateService } from "../../src/state-service.ts";
export { default } from "../../src/fetch-handler.ts";
export class StateManager extends Real {
  override async alarm(): Promise<void> {
    console.log("ALARM start", this.workflowId(), new Date().toISOString());
    try { await super.alarm(); console.log("ALARM done", this.workflowId()); }
    catch (e) { console.log("ALARM threw", String(e)); throw e; }
  }
}
