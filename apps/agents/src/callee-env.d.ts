// `wrangler types` types STATE and COORDINATOR from the callees' sources, which name their own
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
