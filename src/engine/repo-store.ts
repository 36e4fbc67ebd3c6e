import { OrchardError } from "../errors.js";
// The files, not the modules' index: the reading commands (`status`, `logs`) open a store without
// loading the worktree pool, the run loop or the benchmarks (issue 21: a CLI that starts in milliseconds).
import { excludeOrchardDir } from "../git/exclude.js";
import { openStore, sqliteStorePath } from "../store/open.js";
import type { RunId, RunRecord, Store } from "../store/types.js";

/** Opens the repository's embedded store (`.orchard/`, kept out of the user's `git status`). */
export async function openRepoStore(repo: string): Promise<Store> {
  const top = await excludeOrchardDir(repo);
  return openStore({ kind: "sqlite", path: sqliteStorePath(top) });
}

export async function loadRun(store: Store, runId: string): Promise<RunRecord> {
  const run = await store.getRun(runId as RunId);
  if (!run)
    throw new OrchardError(
      "RUN_NOT_FOUND",
      `no run ${runId} in this repository; \`orchard status\` lists runs`,
    );
  return run;
}
