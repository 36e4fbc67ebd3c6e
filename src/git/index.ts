/**
 * git: the only code in Orchard that spawns git. One runner (`Git.run`) with a pinned environment and a
 * typed GitError; typed helpers for refs, merges and commits; and the worktree pool that leases slots.
 */
export { type CleanResult, cleanOrchard } from "./clean.js";
export {
  type CommitAllOptions,
  type CommitAllResult,
  commitAll,
  ORCHARD_IDENTITY,
} from "./commit.js";
export { classifyGitError, GIT_ERROR_CODES, GitError, type GitErrorCode, isGitError } from "./errors.js";
export {
  DEFAULT_LOCK_RETRY_DELAYS_MS,
  DEFAULT_TIMEOUT_MS,
  Git,
  type GitOptions,
  type RunOptions,
  type RunResult,
} from "./git.js";
export { type MeasureResult, measureSlotReady } from "./measure.js";
export { LandingWorktree, type MergeIntoRefInput, type MergeIntoRefResult } from "./merge.js";
export type { RefEntry } from "./parse/refs.js";
export type { StatusEntry } from "./parse/status.js";
export type { WorktreeEntry } from "./parse/worktree-list.js";
export { WorktreePool, type WorktreePoolOptions } from "./pool.js";
export {
  deleteRef,
  deleteRefs,
  headCommit,
  isAncestor,
  listRefs,
  type RefChange,
  refTransaction,
  removeStaleRefLocks,
  resolveBase,
  resolveCommit,
  revParse,
  setRef,
  tryRevParse,
  updateRef,
} from "./refs.js";
export {
  commonGitDir,
  countCommits,
  ensureRepo,
  fsck,
  logSubjects,
  statusPorcelain,
  worktreeList,
} from "./repo.js";
export { normalizeBranch, type PoolEvent, type Slot, type SlotSnapshot, type SlotState } from "./slot.js";
export { inSlot, type SlotDirs, verifySlot } from "./slot-ops.js";
export { defaultPoolDir, poolDirFor, repoStateDir, stateDir, worktreesRoot } from "./state-dir.js";
