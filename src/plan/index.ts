/** The plan module: markdown plan → typed Plan, and which task waits for which. */
export { PlanError, type PlanErrorCode } from "./errors.js";
export {
  type EdgeKind,
  type EdgeReason,
  type GraphOptions,
  type PlanEdge,
  type PlanGraph,
  planGraph,
} from "./graph.js";
export { type LoadOptions, loadPlan } from "./load.js";
export { type ParseOptions, parsePlan } from "./parse.js";
export * from "./types.js";
