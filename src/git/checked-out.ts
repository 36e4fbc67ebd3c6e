import { existsSync, readdirSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { linkedGitDir, readOrNull } from "./files.js";

/**
 * Whether any worktree other than `ownGitDir` has `refs/heads/<branch>` checked out (or is rebasing it),
 * read from the HEAD files of the shared git directory. This is the check `git branch -f` makes; the
 * slot hand-off makes it itself because it moves the branch with `git update-ref`, which does not.
 * Returns null when it cannot tell (reftable repositories keep HEAD elsewhere): `git branch -f` then.
 */
export async function branchCheckedOutElsewhere(
  commonDir: string,
  ownGitDir: string,
  branch: string,
  /** Git dirs of worktrees whose HEADs the caller keeps track of itself (the pool's own slots). */
  known: ReadonlySet<string> = new Set(),
): Promise<string | false | null> {
  if (existsSync(join(commonDir, "reftable"))) return null;
  const ref = `refs/heads/${branch}`;
  // Synchronous: a few tiny files on every hand-off, cheaper than a thread-pool round trip each.
  let names: string[] = [];
  try {
    names = readdirSync(join(commonDir, "worktrees"));
  } catch {
    // No linked worktrees.
  }
  const gitDirs = [commonDir, ...names.map((name) => join(commonDir, "worktrees", name))].filter(
    (gitDir) => gitDir !== ownGitDir && !known.has(gitDir),
  );
  const files = ["HEAD", "rebase-merge/head-name", "rebase-apply/head-name", "BISECT_START"];
  for (const gitDir of gitDirs) {
    for (const file of files) {
      const path = join(gitDir, file);
      // existsSync does not throw: most of these files are absent, and a thrown ENOENT costs more.
      if (file !== "HEAD" && !existsSync(path)) continue;
      const text = readOrNull(path);
      if (text === `ref: ${ref}` || text === ref || text === branch) return gitDir;
    }
  }
  return false;
}

/**
 * The linked worktrees registered in `commonDir/worktrees/`, read from their `gitdir` files (the paths
 * `git worktree list` prints), without a git process: a run start waited ~3 ms for one
 * (docs/benchmarks.md). Null whenever the files leave anything for git to judge: reftable, an entry
 * that is not a plain directory with a readable `gitdir`, a lock, or a registration whose worktree is
 * gone (prunable). The caller asks git then, and git prunes.
 */
export function registeredWorktreesFromFiles(commonDir: string): string[] | null {
  if (existsSync(join(commonDir, "reftable"))) return null;
  let names: string[];
  try {
    names = readdirSync(join(commonDir, "worktrees"));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? [] : null;
  }
  const paths: string[] = [];
  for (const name of names) {
    const entry = join(commonDir, "worktrees", name);
    if (existsSync(join(entry, "locked"))) return null;
    const gitFile = readOrNull(join(entry, "gitdir"));
    if (!gitFile || !isAbsolute(gitFile) || !gitFile.endsWith("/.git")) return null;
    // What `worktree prune` removes: a worktree whose `.git` is gone, or no longer points back here.
    if (linkedGitDir(gitFile) !== entry) return null;
    paths.push(dirname(gitFile));
  }
  return paths;
}
