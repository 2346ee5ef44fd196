// `wrangler types` types STATE, COORDINATOR and AGENTS from the callees' sources, which name their own
// env interfaces as globals. Their generated files cannot be included beside ours (the runtime
// types would be declared twice), so their bindings are restated here; tsc flags any drift
// where the callees use them.

/** apps/state-manager/wrangler.jsonc */
interface StateManagerEnv {
  STATE_MANAGER: DurableObjectNamespace<import("@chorus/state-manager").StateManager>;
  ARCHIVE: R2Bucket;
  METRICS: AnalyticsEngineDataset;
  BENCH_FLOORS: "0";
}

/** apps/coordinator/wrangler.jsonc */
interface CoordinatorEnv {
  REGISTRY: DurableObjectNamespace<import("@chorus/coordinator").WorkflowRegistry>;
  REGISTRY_SHARDS: string;
  AGENTS: DurableObjectNamespace<import("@chorus/coordinator").AgentRegistry>;
  AGENT_SHARDS: string;
  STATE: Service<typeof import("@chorus/state-manager").StateService>;
}

/** apps/agents/wrangler.jsonc */
interface AgentsEnv {
  AGENT_DIRECTORY: DurableObjectNamespace<import("@chorus/agents").AgentDirectory>;
  PATTERN_BRIDGE: DurableObjectNamespace<import("@chorus/agents").PatternBridge>;
  LINEAR_SYNC: DurableObjectNamespace<import("@chorus/agents").LinearSync>;
  CONTEXT_OPTIMIZER: DurableObjectNamespace<import("@chorus/agents").ContextOptimizer>;
  LINEAR_ISSUES: DurableObjectNamespace<import("@chorus/agents").LinearIssueIndex>;
  REVIEW_MANAGER: DurableObjectNamespace<import("@chorus/agents").ReviewManager>;
  INTEGRATION_DASHBOARD: DurableObjectNamespace<import("@chorus/agents").IntegrationDashboard>;
  STATE: Service<typeof import("@chorus/state-manager").StateService>;
  COORDINATOR: Service<typeof import("@chorus/coordinator").CoordinatorService>;
  AGENT_HEARTBEAT_MS: string;
  LINEAR_API_URL: string;
  LINEAR_API_KEY: string;
}
