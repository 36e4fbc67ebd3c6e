import { realpathSync } from "node:fs";
import { join } from "node:path";
import type { Git } from "./git.js";
import { repoLayout } from "./repo.js";

/**
 * Where Orchard keeps its state for a repository — the store, run logs, the slot pool and landing
 * worktrees: `<git common dir>/orchard/`. Inside git's own directory, so nothing of Orchard's lies in
 * the user's working tree, `git status` never shows it and no exclude file needs an entry; shared by
 * every worktree of the repository. Every caller finds it here.
 */
export async function stateDir(git: Git): Promise<string> {
  return join(realpathSync.native((await repoLayout(git)).commonDir), "orchard");
}
