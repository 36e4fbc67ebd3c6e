/**
 * bench: `orchard bench`. Runs generated plans through the real engine (store, slots, commits, merges)
 * with a sleep agent, and measures pooled slots and the store side by side with their alternatives.
 */
export { extraJson, renderMarkdown, rowJson } from "./report.js";
export { type BenchOptions, type BenchReport, runBench } from "./run-bench.js";
export {
  pickScenarios,
  QUICK_SCENARIOS,
  type RowSpec,
  SCENARIO_NAMES,
  SCENARIOS,
  type Scenario,
} from "./scenarios.js";
export type { SlotComparison } from "./slots.js";
export { lptMakespan, median, percentile } from "./stats.js";
export type { StoreRow } from "./store-throughput.js";
export type { RowResult } from "./summary.js";
export { checkTargets, type TargetCheck } from "./targets.js";
