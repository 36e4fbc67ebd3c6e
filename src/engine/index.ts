export { batchNumbers } from "./batch-range.js";
export {
  type CleanReport,
  type CleanRequest,
  cleanRepo,
  integrationBranchExists,
  type KeptBranch,
} from "./clean.js";
export { cancelRun, retryTask } from "./control.js";
export type { EngineEvent, EngineEventType, Listener } from "./events.js";
export { EventBus } from "./events.js";
export { assertNotLive, liveWorkers } from "./liveness.js";
export type { RunOptions, RunOptionsInput } from "./options.js";
export { normalizeOptions, RunOptionsSchema } from "./options.js";
export { type ActivePull, activePulls } from "./pull-requests.js";
export {
  attemptLog,
  checkPlan,
  eventsAfter,
  isRunLive,
  type LogKind,
  type LogSlice,
  listRunSummaries,
  type PlanCheck,
  type RunSummary,
  readLog,
  runPulls,
  runView,
  type TaskPull,
  taskCommits,
  taskDiff,
  taskView,
  unfinishedRuns,
} from "./queries.js";
export { integrationBranch, taskBranch } from "./refs.js";
export type { EngineDeps, RunHandle, RunResult } from "./run.js";
export { loadRun, openRepoStore, resumeRun, startRun } from "./run.js";
