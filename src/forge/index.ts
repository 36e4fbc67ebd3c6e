/**
 * forge: GitHub. Pushes branches with git (the token through GIT_ASKPASS, never argv), opens or reuses
 * pull requests, waits for mergeability and required checks, merges; Octokit with retry and throttling.
 */
export {
  type RunSummaryRow,
  runPullBody,
  TASK_MARKER,
  type TaskPullInfo,
  taskPullBody,
  taskPullTitle,
} from "./body.js";
export { type CheckSummary, readChecks } from "./checks.js";
export { createForgeClient, type ForgeClient, type ForgeClientOptions } from "./client.js";
export { FORGE_ERROR_CODES, ForgeError, type ForgeErrorCode, githubReason, isForgeError } from "./errors.js";
export {
  MERGE_METHODS,
  type MergeMethod,
  type MergeOptions,
  type MergeOutcome,
  mergeWhenReady,
} from "./merge.js";
export { ensurePull, findPull, type OpenPullInput, type PullRef, updatePullBody } from "./pulls.js";
export { fetchBranch, type PushInput, pushBranch } from "./push.js";
export { DEFAULT_API_URL, isHttpRemote, parseRemote, type RepoCoordinates, redactUrl } from "./remote.js";
export { MISSING_TOKEN_MESSAGE, resolveToken, type TokenSource } from "./token.js";
