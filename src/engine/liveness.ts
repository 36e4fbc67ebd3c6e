import { hostname } from "node:os";
import { OrchardError } from "../errors.js";
import { processAlive } from "../spawner/index.js";
import type { RunRecord, Store, WorkerRecord } from "../store/types.js";
import type { RunOptions } from "./options.js";

/**
 * Refuses to go on with a run that another live worker is executing (resume of a running run, a clean
 * under it); `advice` says how to stop it and why.
 */
export async function assertNotLive(store: Store, run: RunRecord, advice = "stop it first"): Promise<void> {
  const w = (await liveWorkers(store, run))[0];
  if (w) {
    throw new OrchardError(
      "RUN_BUSY",
      `run ${run.id} is being executed by pid ${w.pid} on ${w.host}; ${advice}`,
    );
  }
}

/** Workers of a run that are still executing it: heartbeat within a lease, and not a dead process of this host. */
export async function liveWorkers(store: Store, run: RunRecord): Promise<WorkerRecord[]> {
  const now = Date.now();
  const options = JSON.parse(run.optionsJson) as RunOptions;
  return (await store.listWorkers(run.id)).filter(
    (w) => w.stoppedAt === null && now - w.heartbeatAt < (options.leaseMs ?? 30_000) && !deadHere(w),
  );
}

/** A worker of this machine whose process is gone (crashed, killed): its heartbeat is stale in all but time. */
function deadHere(w: { host: string; pid: number }): boolean {
  return w.host === hostname() && !processAlive(w.pid);
}
