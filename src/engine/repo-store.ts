import { OrchardError } from "../errors.js";
// The files, not the modules' index: the reading commands (`status`, `logs`) open a store without
// loading the worktree pool, the run loop or the benchmarks (issue 21: a CLI that starts in milliseconds).
import { ensureRepo } from "../git/repo.js";
import { repoStateDir } from "../git/state-dir.js";
import { openStore, sqliteStorePath } from "../store/open.js";
import type { RunId, RunRecord, Store } from "../store/types.js";
import { selectedStoreUrl } from "../store/url.js";

/**
 * Opens the store this process was given (`--store postgres://…`, shared by a fleet), else the
 * repository's embedded one, in its state dir (`<git common dir>/orchard/`).
 */
export async function openRepoStore(repo: string): Promise<Store> {
  const url = selectedStoreUrl();
  if (url !== undefined) return openStore({ kind: "postgres", url });
  return openStore({ kind: "sqlite", path: sqliteStorePath(await repoStateDir(await ensureRepo(repo))) });
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
