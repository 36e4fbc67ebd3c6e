import { toSlot, toWorker } from "../rows.js";
import type { RunId, SlotRecord, WorkerId, WorkerRecord } from "../types.js";
import type { Ctx } from "./context.js";

export async function registerWorker(ctx: Ctx, worker: Omit<WorkerRecord, "stoppedAt">): Promise<void> {
  const row = {
    id: worker.id,
    run_id: worker.runId,
    host: worker.host,
    pid: worker.pid,
    started_at: worker.startedAt,
    heartbeat_at: worker.heartbeatAt,
    stopped_at: null,
  };
  await ctx.db
    .insertInto("workers")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet(row))
    .execute();
}

export async function heartbeatWorker(ctx: Ctx, id: WorkerId, now: number): Promise<void> {
  await ctx.db.updateTable("workers").set({ heartbeat_at: now }).where("id", "=", id).execute();
}

export async function stopWorker(ctx: Ctx, id: WorkerId, now: number): Promise<void> {
  await ctx.db
    .updateTable("workers")
    .set({ stopped_at: now, heartbeat_at: now })
    .where("id", "=", id)
    .execute();
}

export async function listWorkers(ctx: Ctx, runId: RunId): Promise<WorkerRecord[]> {
  const rows = await ctx.db
    .selectFrom("workers")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("started_at")
    .orderBy("id")
    .execute();
  return rows.map(toWorker);
}

export async function upsertSlot(ctx: Ctx, slot: SlotRecord): Promise<void> {
  const row = {
    id: slot.id,
    path: slot.path,
    state: slot.state,
    run_id: slot.runId,
    task_id: slot.taskId,
    updated_at: slot.updatedAt,
  };
  await ctx.db
    .insertInto("slots")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet(row))
    .execute();
}

export async function listSlots(ctx: Ctx): Promise<SlotRecord[]> {
  const rows = await ctx.db.selectFrom("slots").selectAll().execute();
  // Natural order: wt-2 before wt-10.
  return rows.map(toSlot).sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}
