import { mkdirSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import type { Git } from "./git.js";
import { commonGitDir } from "./repo.js";

/** Pools beside the default one (`worktrees-2` …), for runs that start while another process runs. */
export const EXTRA_POOLS = [2, 3, 4, 5, 6, 7, 8, 9];

/** The directories of the pools beside `base`, in the order a run looks for a free one. */
export const extraPoolDirs = (base: string): string[] => EXTRA_POOLS.map((n) => `${base}-${n}`);

/**
 * Creates the pool directory and returns its real path (git reports worktree paths resolved). Real paths
 * here are asked synchronously: a few tiny lookups at a run's start, cheaper than thread-pool round trips.
 */
export async function preparePoolDir(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  return realpathSync.native(dir);
}

/** True when `child` lies strictly below `parent`. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The pool directory is emptied with `rm -rf`; it must never be (or contain) the user's work tree or
 * git directory, nor lie in the git directory anywhere but Orchard's own state directory under it,
 * whatever a configuration says.
 */
export async function assertSafePoolDir(git: Git, toplevel: string, poolDir: string): Promise<void> {
  const top = realpathSync.native(toplevel);
  const gitDir = realpathSync.native(await commonGitDir(git));
  const ours = join(gitDir, "orchard");
  for (const precious of [top, gitDir]) {
    const inGitDir = isInside(gitDir, poolDir) && !isInside(ours, poolDir);
    if (poolDir === precious || isInside(poolDir, precious) || inGitDir) {
      throw new Error(`refusing to use ${poolDir} as Orchard's worktree pool: it holds ${precious}`);
    }
  }
}
