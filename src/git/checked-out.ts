import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Whether any worktree other than `ownGitDir` has `refs/heads/<branch>` checked out (or is rebasing it),
 * read from the HEAD files of the shared git directory. This is the check `git branch -f` makes; doing
 * it in-process lets the slot hand-off run its two git commands at once (measured 4 ms per git spawn).
 * Returns null when it cannot tell (reftable repositories keep HEAD elsewhere): ask git then.
 */
export async function branchCheckedOutElsewhere(
  commonDir: string,
  ownGitDir: string,
  branch: string,
): Promise<string | false | null> {
  if (existsSync(join(commonDir, "reftable"))) return null;
  const ref = `refs/heads/${branch}`;
  const names = await readdir(join(commonDir, "worktrees")).catch(() => [] as string[]);
  const gitDirs = [commonDir, ...names.map((name) => join(commonDir, "worktrees", name))].filter(
    (gitDir) => gitDir !== ownGitDir,
  );
  const files = ["HEAD", "rebase-merge/head-name", "rebase-apply/head-name", "BISECT_START"];
  const hits = await Promise.all(
    gitDirs.flatMap((gitDir) =>
      files.map(async (file) => {
        const text = (await readFile(join(gitDir, file), "utf8").catch(() => "")).trim();
        return text === `ref: ${ref}` || text === ref || text === branch ? gitDir : null;
      }),
    ),
  );
  return hits.find((hit) => hit !== null) ?? false;
}
