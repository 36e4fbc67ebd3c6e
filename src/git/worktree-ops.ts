import { Mutex } from "async-mutex";
import type { Git } from "./git.js";

/**
 * `worktree add/remove/prune` rewrite shared files under .git/worktrees; two at once in one repository
 * race on them. One mutex per repository, shared by every pool and by cleanOrchard in this process. It
 * is held only for the duration of that one git command.
 */
const mutexes = new Map<string, Mutex>();

function mutexFor(git: Git): Mutex {
  let mutex = mutexes.get(git.repoDir);
  if (!mutex) {
    mutex = new Mutex();
    mutexes.set(git.repoDir, mutex);
  }
  return mutex;
}

export function addWorktree(git: Git, dir: string, commit: string): Promise<void> {
  return mutexFor(git).runExclusive(async () => {
    await git.run(["worktree", "add", "-q", "--detach", dir, commit]);
  });
}

/** `--force` twice also removes a worktree that is dirty or locked: slots hold nothing worth keeping. */
export function removeWorktree(git: Git, dir: string): Promise<void> {
  return mutexFor(git).runExclusive(async () => {
    await git.run(["worktree", "remove", "--force", "--force", dir]);
  });
}

export function pruneWorktrees(git: Git): Promise<void> {
  return mutexFor(git).runExclusive(async () => {
    await git.run(["worktree", "prune"]);
  });
}
