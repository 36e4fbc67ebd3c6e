import { rm } from "node:fs/promises";
import type { Git } from "./git.js";
import { inSlot, realSlotGitDir } from "./slot-ops.js";
import { addWorktree, pruneWorktrees, removeWorktree } from "./worktree-ops.js";

/** Creates a slot's worktree, detached at `commit`. A leftover directory of ours is cleared first. */
export async function addSlotWorktree(git: Git, dir: string, commit: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await addWorktree(git, dir, commit);
}

/**
 * Last resort for a slot that cannot be reset (its .git link deleted, HEAD broken by an agent): throw
 * the worktree away and add it again at `base`. Returns the commit it is clean at.
 */
export async function rebuildSlot(git: Git, dir: string, base: string): Promise<string> {
  await removeWorktree(git, dir).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  await pruneWorktrees(git);
  await addWorktree(git, dir, base);
  const gitDir = realSlotGitDir(dir);
  const { stdout } = await git.run(["rev-parse", "HEAD"], inSlot({ dir, gitDir }, { readOnly: true }));
  return stdout.trim();
}
