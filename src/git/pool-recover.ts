import { readdirSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { registeredWorktreesFromFiles } from "./checked-out.js";
import type { Git } from "./git.js";
import { assertSafePoolDir, isInside, preparePoolDir } from "./pool-dir.js";
import { repoLayout, worktreeList } from "./repo.js";
import { SLOT_COSTS_FILE, SLOT_DIR_PATTERN } from "./slot.js";
import { pruneWorktrees, removeWorktree } from "./worktree-ops.js";

export interface RecoveredPool {
  /** Real path of the pool directory. */
  poolDir: string;
  /** Indexes of registered `wt-N` worktrees found in it; each still needs a reset. */
  slotIndexes: number[];
}

/**
 * Start-up recovery, run when nothing of ours is running: forget worktrees whose directories are gone
 * (`worktree prune`, when `worktree list` shows any), remove anything in the pool directory that is not a
 * registered slot worktree, and report the slots that are. Their index.lock and half-done merges are
 * cleared by the reset that follows.
 */
export async function recoverPool(git: Git, toplevel: string, dir: string): Promise<RecoveredPool> {
  const poolDir = await preparePoolDir(dir);
  // Independent of one another; only the removals below wait for all of them (the safety check first).
  const [, listed] = await Promise.all([assertSafePoolDir(git, toplevel, poolDir), registeredWorktrees(git)]);
  const registered = new Set(listed.filter((path) => isInside(poolDir, path)));
  const slotIndexes: number[] = [];
  for (const name of readdirSync(poolDir)) {
    if (name === SLOT_COSTS_FILE) continue;
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

/**
 * The paths of the repository's linked worktrees, read from its files when they say plainly, else from
 * `worktree list`; registrations whose worktrees are gone are pruned first (only then: prune rewrites).
 */
async function registeredWorktrees(git: Git): Promise<string[]> {
  const fromFiles = registeredWorktreesFromFiles(realpathSync.native((await repoLayout(git)).commonDir));
  if (fromFiles) return fromFiles;
  // `worktree list` marks worktrees whose directories are gone as prunable: prune only then.
  const listed = await worktreeList(git);
  if (listed.some((wt) => wt.prunable !== null)) await pruneWorktrees(git);
  return listed.filter((wt) => wt.prunable === null).map((wt) => wt.path);
}
