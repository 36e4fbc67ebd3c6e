import { realpathSync } from "node:fs";
import { join } from "node:path";
import { Git } from "./git.js";
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

/** `stateDir` of the repository whose work tree holds `repoDir`. */
export function repoStateDir(repoDir: string): Promise<string> {
  return stateDir(new Git(repoDir));
}

/** The slot pool's default directory, `<state dir>/worktrees`. */
export async function defaultPoolDir(git: Git): Promise<string> {
  return join(await stateDir(git), "worktrees");
}
