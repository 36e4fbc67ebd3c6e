import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Git } from "./git.js";
import { repoLayout } from "./repo.js";

/**
 * Where Orchard keeps its state for a repository — the store, run logs and landing worktrees:
 * `<git common dir>/orchard/`. Inside git's own directory, so nothing of Orchard's lies in the user's
 * working tree, `git status` never shows it and no exclude file needs an entry; shared by every worktree
 * of the repository. Every caller finds it here.
 */
export async function stateDir(git: Git): Promise<string> {
  return join(realpathSync.native((await repoLayout(git)).commonDir), "orchard");
}

/** `stateDir` of the repository whose work tree holds `repoDir`. */
export function repoStateDir(repoDir: string): Promise<string> {
  return stateDir(new Git(repoDir));
}

/**
 * Where the slot pools of every repository live: `$ORCHARD_WORKTREES`, else `$XDG_CACHE_HOME/orchard/worktrees`,
 * else `~/.cache/orchard/worktrees`. Not in the repository's git directory: agents edit files in the slots, and
 * Claude Code refuses to edit any path with a `.git` component ("a sensitive file"); not in the working tree,
 * which Orchard never touches.
 */
export function worktreesRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ORCHARD_WORKTREES) return env.ORCHARD_WORKTREES;
  const cache = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cache, "orchard", "worktrees");
}

/**
 * The slot pool's default directory: `<worktrees root>/<repository name>-<10 hex digits of its git dir's real
 * path>`, one per repository (named after its main work tree; its worktrees share the pool, as they share the
 * git directory).
 */
export async function defaultPoolDir(git: Git): Promise<string> {
  return poolDirFor(realpathSync.native((await repoLayout(git)).commonDir));
}

/** `defaultPoolDir` of the repository whose common git directory is `commonDir` (a real path). */
export function poolDirFor(commonDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash("sha256").update(commonDir).digest("hex").slice(0, 10);
  const name = basename(commonDir) === ".git" ? basename(dirname(commonDir)) : basename(commonDir);
  return join(worktreesRoot(env), `${name}-${id}`);
}
