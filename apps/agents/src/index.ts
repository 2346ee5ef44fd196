export { AgentDirectory } from "./agent-directory.ts";
export { AgentsService } from "./agents-service.ts";
export { BaseAgent } from "./base-agent.ts";
export { ContextOptimizer } from "./context-optimizer.ts";
export { default } from "./fetch-handler.ts";
export { LinearIssueIndex } from "./linear-issue-index.ts";
export { LinearSync } from "./linear-sync.ts";
export { PatternBridge } from "./pattern-bridge.ts";
