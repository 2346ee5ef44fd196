export { AgentRegistry } from "./agent-registry.ts";
export { CoordinatorService } from "./coordinator-service.ts";
export { default } from "./fetch-handler.ts";
export { WorkflowRegistry } from "./workflow-registry.ts";
