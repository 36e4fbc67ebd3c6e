import { type Kysely, Migrator } from "kysely";
import { migrationProvider } from "./migrations/index.js";
import type { Database, Dialect } from "./schema.js";
import { claimTask } from "./sql/claim-task.js";
import type { Ctx } from "./sql/context.js";
import {
  appendEvent,
  appendEvents,
  lastEventSeq,
  listAllEvents,
  listEvents,
  listEventsOfTypes,
} from "./sql/events.js";
import { finishAttempt } from "./sql/finish-attempt.js";
import { renewLease, updateAttempt } from "./sql/leases.js";
import { lockHolder, tryLock, unlock } from "./sql/locks.js";
import { requeueExpired, requeueForConflict, requeueInterrupted } from "./sql/requeue.js";
import {
  createRun,
  getRun,
  listBatches,
  listRuns,
  requestCancel,
  setBatchBase,
  updateRun,
  withdrawCancel,
} from "./sql/runs.js";
import {
  finalizeTasks,
  getTask,
  listAttempts,
  listTasks,
  markLanded,
  markReady,
  resetTask,
} from "./sql/task-state.js";
import {
  heartbeatWorker,
  listSlots,
  listWorkers,
  registerWorker,
  stopWorker,
  upsertSlot,
} from "./sql/workers.js";
import type { Store } from "./types.js";

export interface KyselyStoreOptions {
  /** Where the Migrator keeps its own tables (Postgres: the store's schema). */
  migrationSchema?: string;
}

async function migrate(ctx: Ctx, options: KyselyStoreOptions): Promise<void> {
  const migrator = new Migrator({
    db: ctx.db,
    provider: migrationProvider(ctx.dialect),
    ...(options.migrationSchema !== undefined && { migrationTableSchema: options.migrationSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`store migration ${failed ?? ""} failed: ${String(error)}`, { cause: error });
  }
}

/** The Store over a Kysely instance: every method is one named statement from ./sql. */
export function kyselyStore(db: Kysely<Database>, dialect: Dialect, options: KyselyStoreOptions = {}): Store {
  const ctx: Ctx = { db, dialect };
  const clock = (now?: number) => now ?? Date.now();
  return {
    dialect,
    migrate: () => migrate(ctx, options),
    close: () => db.destroy(),

    createRun: (run, now) => createRun(ctx, run, clock(now)),
    getRun: (id) => getRun(ctx, id),
    listRuns: () => listRuns(ctx),
    updateRun: (id, patch) => updateRun(ctx, id, patch),
    requestCancel: (id) => requestCancel(ctx, id),
    withdrawCancel: (id) => withdrawCancel(ctx, id),

    listBatches: (runId) => listBatches(ctx, runId),
    setBatchBase: (runId, batchId, base, now) => setBatchBase(ctx, runId, batchId, base, clock(now)),

    listTasks: (runId) => listTasks(ctx, runId),
    getTask: (runId, taskId) => getTask(ctx, runId, taskId),
    markReady: (runId, items, now) => markReady(ctx, runId, items, clock(now)),
    claimTask: (runId, workerId, leaseMs, now) => claimTask(ctx, runId, workerId, leaseMs, clock(now)),
    renewLease: (claim, leaseMs, now) => renewLease(ctx, claim, leaseMs, clock(now)),
    finishAttempt: (claim, outcome, now) => finishAttempt(ctx, claim, outcome, clock(now)),
    updateAttempt: (claim, patch) => updateAttempt(ctx, claim, patch),
    requeueExpired: (runId, now) => requeueExpired(ctx, runId, clock(now)),
    requeueInterrupted: (runId, now) => requeueInterrupted(ctx, runId, clock(now)),
    markLanded: (runId, taskId, commit, now) => markLanded(ctx, runId, taskId, commit, clock(now)),
    requeueForConflict: (runId, taskId, base, note, now) =>
      requeueForConflict(ctx, runId, taskId, base, note, clock(now)),
    finalizeTasks: (runId, taskIds, status, reason, now) =>
      finalizeTasks(ctx, runId, taskIds, status, reason, clock(now)),
    resetTask: (runId, taskId, now) => resetTask(ctx, runId, taskId, clock(now)),

    listAttempts: (runId, taskId) => listAttempts(ctx, runId, taskId),

    registerWorker: (worker) => registerWorker(ctx, worker),
    heartbeatWorker: (id, now) => heartbeatWorker(ctx, id, clock(now)),
    stopWorker: (id, now) => stopWorker(ctx, id, clock(now)),
    listWorkers: (runId) => listWorkers(ctx, runId),

    upsertSlot: (slot) => upsertSlot(ctx, slot),
    listSlots: () => listSlots(ctx),

    appendEvent: (runId, type, data, now) => appendEvent(ctx, runId, type, data, clock(now)),
    appendEvents: (runId, events, now) => appendEvents(ctx, runId, events, clock(now)),
    listEvents: (runId, afterSeq, limit) => listEvents(ctx, runId, afterSeq, limit),
    listAllEvents: (afterSeq, limit) => listAllEvents(ctx, afterSeq, limit),
    listEventsOfTypes: (runId, types, afterSeq, limit) =>
      listEventsOfTypes(ctx, runId, types, afterSeq, limit),
    lastEventSeq: (runId) => lastEventSeq(ctx, runId ?? null),

    tryLock: (name, owner, ttlMs, now) => tryLock(ctx, name, owner, ttlMs, clock(now)),
    unlock: (name, owner) => unlock(ctx, name, owner),
    lockHolder: (name, now) => lockHolder(ctx, name, clock(now)),
  };
}
