import type { Claim, RunId, Store, WorkerId } from "../types.js";

export interface DrainCounts {
  claims: number;
  finished: number;
  rejected: number;
  startedAt: number;
  endedAt: number;
}

const NOOP_SUCCESS = { kind: "succeeded", resultCommit: null, exitCode: 0, logPath: null } as const;

/** `workers` async loops claim → finish(succeeded) on one store until no task is claimable. */
export async function drainRun(
  store: Store,
  runId: RunId,
  workers: number,
  prefix: string,
): Promise<DrainCounts> {
  const counts: DrainCounts = { claims: 0, finished: 0, rejected: 0, startedAt: Date.now(), endedAt: 0 };
  const loop = async (workerId: WorkerId) => {
    for (;;) {
      const claim: Claim | undefined = await store.claimTask(runId, workerId, 60_000);
      if (!claim) return;
      counts.claims++;
      if (await store.finishAttempt(claim, NOOP_SUCCESS)) counts.finished++;
      else counts.rejected++;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => loop(`${prefix}-w${i}` as WorkerId)));
  counts.endedAt = Date.now();
  return counts;
}
