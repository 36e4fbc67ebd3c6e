import { type ExpressionBuilder, sql } from "kysely";
import { toTask } from "../rows.js";
import type { Database } from "../schema.js";
import type { RunId, TaskRecord } from "../types.js";
import { type Ctx, inTx, type Tx } from "./context.js";

type TaskFilter = (
  eb: ExpressionBuilder<Database, "tasks">,
) => ReturnType<ExpressionBuilder<Database, "tasks">["and"]>;

/**
 * Takes running tasks away from their worker: back to queued (the next claim gets attempt + 1), or
 * failed when the attempt budget is spent. The lost attempt is closed as `expired`. Clearing the
 * lease owner is what fences the old worker out.
 */
async function requeueRunning(
  ctx: Ctx,
  runId: RunId,
  filter: TaskFilter,
  why: string,
  now: number,
): Promise<TaskRecord[]> {
  return inTx(ctx, async (trx) => {
    const rows = await trx
      .updateTable("tasks")
      .set({
        status: sql<string>`case when attempt >= max_attempts then 'failed' else 'queued' end`,
        reason: sql<string>`case when attempt >= max_attempts then ${sql.lit(`${why}; no attempts left`)} else ${sql.lit(why)} end`,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      })
      .where("run_id", "=", runId)
      .where("status", "=", "running")
      .where(filter)
      .returningAll()
      .execute();
    return expireAttempts(trx, runId, rows, why, now);
  });
}

/** Closes the running attempts of the tasks just taken back as `expired`; returns the tasks in plan order. */
async function expireAttempts(
  trx: Tx,
  runId: RunId,
  rows: Parameters<typeof toTask>[0][],
  why: string,
  now: number,
): Promise<TaskRecord[]> {
  for (const row of rows) {
    await trx
      .updateTable("attempts")
      .set({ status: "expired", reason: why, finished_at: now })
      .where("run_id", "=", runId)
      .where("task_id", "=", row.task_id)
      .where("attempt", "=", row.attempt)
      .where("status", "=", "running")
      .execute();
  }
  return rows.map(toTask).sort((a, b) => a.index - b.index);
}

export function requeueExpired(ctx: Ctx, runId: RunId, now: number): Promise<TaskRecord[]> {
  return requeueRunning(ctx, runId, (eb) => eb.and([eb("lease_expires_at", "<", now)]), "lease expired", now);
}

/**
 * Resume: the owners are known to be gone, so their leases do not need to run out first. An attempt
 * ended by the orchestrator's own death (a crash, SIGKILL, a closed terminal) is not the task's failure:
 * it is handed back (room for one more attempt), so crashes never use up a task's attempts (issue 20).
 */
export async function requeueInterrupted(ctx: Ctx, runId: RunId, now: number): Promise<TaskRecord[]> {
  const why = "worker interrupted";
  return inTx(ctx, async (trx) => {
    const rows = await trx
      .updateTable("tasks")
      .set((eb) => ({
        status: "queued",
        reason: why,
        max_attempts: eb("max_attempts", "+", 1),
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      }))
      .where("run_id", "=", runId)
      .where("status", "=", "running")
      .returningAll()
      .execute();
    return expireAttempts(trx, runId, rows, why, now);
  });
}

/**
 * A finished task whose branch conflicts with the integration head runs again on the new base, with
 * the conflict named. The re-run gets room for one more attempt so a task that succeeded on its last
 * attempt is not failed for a conflict it did not cause; conflict retries are bounded by the caller.
 */
export async function requeueForConflict(
  ctx: Ctx,
  runId: RunId,
  taskId: string,
  baseCommit: string,
  note: string,
  now: number,
): Promise<boolean> {
  const result = await ctx.db
    .updateTable("tasks")
    .set((eb) => ({
      status: "queued",
      base_commit: baseCommit,
      conflict_note: note,
      conflict_retries: eb("conflict_retries", "+", 1),
      max_attempts: sql<number>`case when attempt >= max_attempts then attempt + 1 else max_attempts end`,
      result_commit: null,
      reason: null,
      not_before: null,
      updated_at: now,
    }))
    .where("run_id", "=", runId)
    .where("task_id", "=", taskId)
    .where("status", "=", "completed")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
