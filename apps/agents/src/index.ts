export { AgentDirectory } from "./agent-directory.ts";
export { AgentsService } from "./agents-service.ts";
export { BaseAgent } from "./base-agent.ts";
export { default } from "./fetch-handler.ts";
export { PatternBridge } from "./pattern-bridge.ts";
