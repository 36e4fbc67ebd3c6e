import { existsSync } from "node:fs";
import { OrchardError } from "../errors.js";
import { type CleanResult, cleanOrchard, ensureRepo, Git, repoStateDir, tryRevParse } from "../git/index.js";
import { sqliteStoreFile } from "../store/index.js";
import { isFinalRun, type RunRecord, type Store } from "../store/types.js";
import { assertNotLive } from "./liveness.js";
import { openRepoStore } from "./run.js";
import { cleanLockName, liveHolder, newOwner, runLeaseName, takeLock } from "./run-lease.js";

export interface CleanRequest {
  /** Also delete these runs' branches (integration branches included). */
  runs?: readonly string[];
  /** Delete every orchard branch, integration branches holding landed work included. */
  all?: boolean;
}

export interface KeptBranch {
  branch: string;
  runId: string | null;
  why: string;
}

export interface CleanReport extends CleanResult {
  /** Branches kept because they hold work (`--runs <id>` or `--all` removes them). */
  keptBranches: KeptBranch[];
}

/** How long the clean lock lives if `orchard clean` dies holding it (a live holder renews nothing: clean is short). */
const CLEAN_LOCK_TTL_MS = 10 * 60_000;

/**
 * `orchard clean`: removes Orchard's worktrees and the orchard branches nobody needs. It keeps the
 * integration branch of every run that landed work (often the only copy of it) and every branch of a
 * run that can still be resumed, unless asked by run id or with `all`. Refused while any run of the
 * repository is being driven or is starting (issue 20 item 4).
 */
export async function cleanRepo(repoDir: string, request: CleanRequest = {}): Promise<CleanReport> {
  const repo = await ensureRepo(repoDir);
  // No store, no run: nothing to open (opening would create one); integration branches stay unless `all`.
  if (!existsSync(sqliteStoreFile(await repoStateDir(repo)))) {
    const keptBranches: KeptBranch[] = [];
    const result = await cleanOrchard(repo, {
      keep: (ref) => keepUnknown(ref, request, keptBranches),
    });
    return { ...result, keptBranches };
  }
  const store = await openRepoStore(repo);
  const owner = newOwner();
  const lock = cleanLockName(repo);
  try {
    const other = await takeLock(store, lock, owner, CLEAN_LOCK_TTL_MS);
    if (other) {
      throw new OrchardError(
        "RUN_BUSY",
        `another \`orchard clean\` (pid ${other.pid} on ${other.host}) is cleaning ${repo}; let it finish`,
      );
    }
    try {
      const runs = await store.listRuns();
      for (const run of runs) await assertNotDriven(store, run);
      const unknown = (request.runs ?? []).filter((id) => !runs.some((r) => r.id === id));
      if (unknown.length > 0) {
        throw new OrchardError(
          "RUN_NOT_FOUND",
          `no run ${unknown.join(", ")} in this repository; \`orchard status\` lists runs`,
        );
      }
      const keep = await keptRuns(store, runs, request);
      const keptBranches: KeptBranch[] = [];
      const result = await cleanOrchard(repo, {
        keep: (ref) => {
          const runId = runOfRef(ref);
          const why = runId ? keep.get(runId) : undefined;
          if (why === undefined)
            return runId === null || !runs.some((r) => r.id === runId)
              ? keepUnknown(ref, request, keptBranches)
              : false;
          const whole = why.wholeRun || ref.endsWith("/integration");
          if (whole) keptBranches.push({ branch: ref.slice("refs/heads/".length), runId, why: why.text });
          return whole;
        },
      });
      return { ...result, keptBranches };
    } finally {
      await store.unlock(lock, owner).catch(() => {});
    }
  } finally {
    await store.close();
  }
}

async function assertNotDriven(store: Store, run: RunRecord): Promise<void> {
  const advice = `its agents work in the worktrees \`orchard clean\` removes. Stop it first (Ctrl-C in its terminal, or \`orchard cancel ${run.id}\`), then clean`;
  const holder = await liveHolder(store, runLeaseName(run.id));
  if (holder) {
    throw new OrchardError(
      "RUN_BUSY",
      `run ${run.id} is being executed by pid ${holder.pid} on ${holder.host}; ${advice}`,
    );
  }
  if (run.status === "running") await assertNotLive(store, run, advice);
}

/** Runs whose branches stay, and why: landed work on the integration branch, or a run still resumable. */
async function keptRuns(
  store: Store,
  runs: readonly RunRecord[],
  request: CleanRequest,
): Promise<Map<string, { text: string; wholeRun: boolean }>> {
  const keep = new Map<string, { text: string; wholeRun: boolean }>();
  if (request.all) return keep;
  const named = new Set(request.runs ?? []);
  for (const run of runs) {
    if (named.has(run.id)) continue;
    const landed = (await store.listTasks(run.id)).filter((t) => t.status === "landed").length;
    if (!isFinalRun(run.status)) {
      keep.set(run.id, { text: `run ${run.id} is ${run.status} and can be resumed`, wholeRun: true });
    } else if (landed > 0) {
      keep.set(run.id, {
        text: `holds the landed work of run ${run.id} (${landed} task${landed === 1 ? "" : "s"})`,
        wholeRun: false,
      });
    }
  }
  return keep;
}

/** An orchard branch of no run this store knows: integration branches stay unless `all` (they may hold work). */
function keepUnknown(ref: string, request: CleanRequest, kept: KeptBranch[]): boolean {
  if (request.all || !ref.endsWith("/integration")) return false;
  const runId = runOfRef(ref);
  if (runId && request.runs?.includes(runId)) return false;
  kept.push({
    branch: ref.slice("refs/heads/".length),
    runId,
    why: "an integration branch of a run this repository's store does not know",
  });
  return true;
}

/** `refs/heads/orchard/<run>/…` → `<run>`. */
function runOfRef(ref: string): string | null {
  const m = /^refs\/heads\/orchard\/([^/]+)\//.exec(ref);
  return m ? m[1]! : null;
}

/** Whether a run's integration branch is still there (`orchard clean --runs` or the user may have deleted it). */
export async function integrationBranchExists(repo: string, branch: string): Promise<boolean> {
  return (await tryRevParse(new Git(repo), `refs/heads/${branch}`).catch(() => null)) !== null;
}
