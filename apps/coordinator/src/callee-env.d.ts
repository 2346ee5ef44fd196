// `STATE` is typed as the gateway types its callees: `wrangler types` with the state manager's
// config makes it `Service<typeof StateService>` in worker-configuration.d.ts, and task-board.ts
// narrows that binding without a cast. The state manager's source names its own env interface
// as a global, though, and its generated file cannot be included beside ours (the runtime types
// would be declared twice), so its bindings are restated here, as the gateway restates them;
// tsc flags any drift where the state manager uses them.

/** apps/state-manager/wrangler.jsonc */
interface StateManagerEnv {
  STATE_MANAGER: DurableObjectNamespace<import("../../state-manager/src/index").StateManager>;
  ARCHIVE: R2Bucket;
  METRICS: AnalyticsEngineDataset;
  BENCH_FLOORS: "0";
}
