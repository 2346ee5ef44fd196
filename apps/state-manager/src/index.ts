export { default } from "./fetch-handler.ts";
export { StateManager } from "./state-manager.ts";
export { StateService } from "./state-service.ts";
