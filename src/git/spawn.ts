import { runBuffered, type SpawnOptions, type SpawnResult } from "../spawner/index.js";

export type { SpawnOptions, SpawnResult };

/**
 * Spawns `git <args>` in its own process group (so hooks, ssh and credential helpers die with it), with
 * stdin closed unless there is input, and a timeout that kills the whole group: TERM, then KILL.
 */
export function spawnGit(args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  return runBuffered("git", args, opts);
}
