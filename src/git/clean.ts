import { existsSync } from "node:fs";
import { realpath, rm } from "node:fs/promises";
import { join } from "node:path";
import { Git } from "./git.js";
import { assertSafePoolDir, extraPoolDirs, isInside } from "./pool-dir.js";
import { deleteRefs, listRefs } from "./refs.js";
import { ensureRepo, worktreeList } from "./repo.js";
import { defaultPoolDir, stateDir } from "./state-dir.js";
import { pruneWorktrees, removeWorktree } from "./worktree-ops.js";

export interface CleanResult {
  removedWorktrees: string[];
  deletedRefs: string[];
  /** Orchard branches left alone because a worktree outside the pool (the user's) has them checked out. */
  keptRefs: string[];
}

/**
 * Removes every worktree under the pool directory (and the landing worktrees beside it) and every ref under refs/heads/orchard/, and nothing
 * else. Used by `orchard clean` without an initialized pool and by WorktreePool.destroy().
 */
export async function cleanOrchard(
  repoDir: string,
  opts: { dir?: string; keep?: (ref: string) => boolean } = {},
): Promise<CleanResult> {
  const top = await ensureRepo(repoDir);
  if (opts.dir) return cleanPools(new Git(top), [opts.dir], opts.keep);
  const base = await defaultPoolDir(new Git(top));
  const extra = extraPoolDirs(base).filter((dir) => existsSync(dir) || existsSync(`${dir}.lock`));
  // Landing worktrees a killed run left behind (a finished run removes its own).
  const landing = join(await stateDir(new Git(top)), "land");
  if (existsSync(landing)) extra.push(landing);
  return cleanPools(new Git(top), [base, ...extra], opts.keep);
}

export function cleanPool(git: Git, poolDir: string): Promise<CleanResult> {
  return cleanPools(git, [poolDir]);
}

/** `keep`: orchard refs the caller keeps (`orchard clean` keeps integration branches holding landed work). */
async function cleanPools(
  git: Git,
  poolDirs: readonly string[],
  keep: (ref: string) => boolean = () => false,
): Promise<CleanResult> {
  const removedWorktrees: string[] = [];
  const worktrees = await worktreeList(git);
  for (const poolDir of poolDirs) {
    const poolReal = await realpath(poolDir).catch(() => poolDir);
    await assertSafePoolDir(git, git.repoDir, poolReal);
    for (const wt of worktrees) {
      if (!isInside(poolReal, wt.path) && !isInside(poolDir, wt.path)) continue;
      await removeWorktree(git, wt.path).catch(() => undefined);
      removedWorktrees.push(wt.path);
    }
    // ENOTEMPTY/EBUSY when something still writes there: Node retries those, with a short back-off.
    await rm(poolReal, { recursive: true, force: true, maxRetries: 5 });
    await rm(`${poolDir}.lock`, { force: true });
  }
  await pruneWorktrees(git);

  // A branch checked out in a remaining worktree (the user inspecting a result) would leave that
  // checkout on an unborn branch if deleted: it stays.
  const checkedOut = new Set((await worktreeList(git)).map((wt) => wt.branch).filter((b) => b !== null));
  const refs = (await listRefs(git, "refs/heads/orchard/")).map((entry) => entry.ref);
  const keptRefs = refs.filter((ref) => checkedOut.has(ref) || keep(ref));
  const deletedRefs = refs.filter((ref) => !checkedOut.has(ref) && !keep(ref));
  await deleteRefs(git, deletedRefs);
  return { removedWorktrees, deletedRefs, keptRefs };
}
