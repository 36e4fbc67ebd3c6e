import { sql } from "kysely";
import { toAttempt, toTask } from "../rows.js";
import { type AttemptRecord, FINAL_TASK_STATUSES, type RunId, type TaskRecord } from "../types.js";
import { type Ctx, inTx } from "./context.js";

export async function listTasks(ctx: Ctx, runId: RunId): Promise<TaskRecord[]> {
  const rows = await ctx.db
    .selectFrom("tasks")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("idx")
    .execute();
  return rows.map(toTask);
}

export async function getTask(ctx: Ctx, runId: RunId, taskId: string): Promise<TaskRecord | undefined> {
  const row = await ctx.db
    .selectFrom("tasks")
    .selectAll()
    .where("run_id", "=", runId)
    .where("task_id", "=", taskId)
    .executeTakeFirst();
  return row && toTask(row);
}

export async function listAttempts(ctx: Ctx, runId: RunId, taskId?: string): Promise<AttemptRecord[]> {
  let query = ctx.db.selectFrom("attempts").selectAll().where("run_id", "=", runId);
  if (taskId !== undefined) query = query.where("task_id", "=", taskId);
  const rows = await query.orderBy("started_at").orderBy("task_id").orderBy("attempt").execute();
  return rows.map(toAttempt);
}

/** pending → queued with the batch's base; tasks in any other state are left alone. */
export async function markReady(
  ctx: Ctx,
  runId: RunId,
  items: Array<{ taskId: string; baseCommit: string }>,
  now: number,
): Promise<number> {
  if (items.length === 0) return 0;
  return inTx(ctx, async (trx) => {
    let changed = 0;
    for (const item of items) {
      const result = await trx
        .updateTable("tasks")
        .set({ status: "queued", base_commit: item.baseCommit, updated_at: now })
        .where("run_id", "=", runId)
        .where("task_id", "=", item.taskId)
        .where("status", "=", "pending")
        .executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    return changed;
  });
}

/** completed → landed, and the run's integration head moves to the merge commit in the same transaction. */
export async function markLanded(
  ctx: Ctx,
  runId: RunId,
  taskId: string,
  landedCommit: string,
  now: number,
): Promise<boolean> {
  return inTx(ctx, async (trx) => {
    const result = await trx
      .updateTable("tasks")
      .set({ status: "landed", landed_commit: landedCommit, updated_at: now })
      .where("run_id", "=", runId)
      .where("task_id", "=", taskId)
      .where("status", "=", "completed")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await trx.updateTable("runs").set({ integration_head: landedCommit }).where("id", "=", runId).execute();
    return true;
  });
}

/**
 * Non-final tasks → a final status. A running attempt is closed as cancelled and its lease cleared, so
 * the worker's later finishAttempt is fenced out. Final tasks keep their state.
 */
export async function finalizeTasks(
  ctx: Ctx,
  runId: RunId,
  taskIds: string[],
  status: "failed" | "skipped" | "cancelled",
  reason: string,
  now: number,
): Promise<number> {
  if (taskIds.length === 0) return 0;
  return inTx(ctx, async (trx) => {
    const rows = await trx
      .updateTable("tasks")
      .set({ status, reason, lease_owner: null, lease_expires_at: null, updated_at: now })
      .where("run_id", "=", runId)
      .where("task_id", "in", taskIds)
      .where("status", "not in", [...FINAL_TASK_STATUSES])
      .returning(["task_id", "attempt"])
      .execute();
    for (const row of rows) {
      await trx
        .updateTable("attempts")
        .set({ status: "cancelled", reason, finished_at: now })
        .where("run_id", "=", runId)
        .where("task_id", "=", row.task_id)
        .where("attempt", "=", row.attempt)
        .where("status", "=", "running")
        .execute();
    }
    return rows.length;
  });
}

/** failed/skipped/cancelled → pending with room for one more attempt (`orchard retry`). */
export async function resetTask(ctx: Ctx, runId: RunId, taskId: string, now: number): Promise<boolean> {
  const result = await ctx.db
    .updateTable("tasks")
    .set({
      status: "pending",
      reason: null,
      not_before: null,
      lease_owner: null,
      lease_expires_at: null,
      max_attempts: sql<number>`case when attempt + 1 > max_attempts then attempt + 1 else max_attempts end`,
      updated_at: now,
    })
    .where("run_id", "=", runId)
    .where("task_id", "=", taskId)
    .where("status", "in", ["failed", "skipped", "cancelled"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
