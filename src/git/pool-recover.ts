import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Git } from "./git.js";
import {
  assertSafePoolDir,
  excludeFromStatus,
  isInside,
  preparePoolDir,
  removeStaleOrchardRefLocks,
} from "./pool-dir.js";
import { worktreeList } from "./repo.js";
import { SLOT_DIR_PATTERN } from "./slot.js";
import { pruneWorktrees, removeWorktree } from "./worktree-ops.js";

export interface RecoveredPool {
  /** Real path of the pool directory. */
  poolDir: string;
  /** Indexes of registered `wt-N` worktrees found in it; each still needs a reset. */
  slotIndexes: number[];
}

/**
 * Start-up recovery, run when nothing of ours is running: forget worktrees whose directories are gone
 * (`worktree prune`, when `worktree list` shows any), drop stale orchard ref locks, remove anything in the pool directory that is not a
 * registered slot worktree, and report the slots that are. Their index.lock and half-done merges are
 * cleared by the reset that follows.
 */
export async function recoverPool(git: Git, toplevel: string, dir: string): Promise<RecoveredPool> {
  const poolDir = await preparePoolDir(dir);
  // Independent of one another; only the removals below wait for all of them (the safety check first).
  const [, , , listed] = await Promise.all([
    assertSafePoolDir(git, toplevel, poolDir),
    excludeFromStatus(git, toplevel, poolDir),
    removeStaleOrchardRefLocks(git),
    // `worktree list` marks worktrees whose directories are gone as prunable: prune only then.
    worktreeList(git),
  ]);
  if (listed.some((wt) => wt.prunable !== null)) await pruneWorktrees(git);
  const registered = new Set(
    listed
      .filter((wt) => wt.prunable === null)
      .map((wt) => wt.path)
      .filter((path) => isInside(poolDir, path)),
  );
  const slotIndexes: number[] = [];
  for (const name of await readdir(poolDir)) {
    const path = join(poolDir, name);
    const match = SLOT_DIR_PATTERN.exec(name);
    if (registered.has(path) && match) {
      slotIndexes.push(Number(match[1]));
      registered.delete(path);
    } else {
      await rm(path, { recursive: true, force: true });
    }
  }
  // Registered worktrees nested deeper in the pool, or under names that are not ours to keep.
  for (const path of registered) await removeWorktree(git, path).catch(() => undefined);
  if (registered.size > 0) await pruneWorktrees(git);
  return { poolDir, slotIndexes: slotIndexes.sort((a, b) => a - b) };
}
