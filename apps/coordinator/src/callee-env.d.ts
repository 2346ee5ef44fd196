// `wrangler types` types STATE from the state manager's source, which names its own env
// interface as a global. Its generated file cannot be included beside ours (the runtime types
// would be declared twice), so its bindings are restated here; tsc flags any drift where the
// state manager uses them.

/** apps/state-manager/wrangler.jsonc */
interface StateManagerEnv {
  STATE_MANAGER: DurableObjectNamespace<import("../../state-manager/src/index").StateManager>;
  ARCHIVE: R2Bucket;
  METRICS: AnalyticsEngineDataset;
  BENCH_FLOORS: "0";
}
