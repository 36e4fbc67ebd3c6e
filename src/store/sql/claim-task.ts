import { toTask } from "../rows.js";
import type { Claim, RunId, WorkerId } from "../types.js";
import { type Ctx, inTx } from "./context.js";

/**
 * One UPDATE picks and takes the lowest-index claimable task, so two workers can never take the same
 * attempt: on SQLite the write lock serializes the statement; on Postgres the subselect locks the row
 * and SKIP LOCKED lets concurrent claimers pass over it instead of queueing behind it. The outer
 * `status = 'queued'` is re-checked by Postgres against the row's latest version.
 * The attempt row is written in the same transaction.
 */
export async function claimTask(
  ctx: Ctx,
  runId: RunId,
  workerId: WorkerId,
  leaseMs: number,
  now: number,
): Promise<Claim | undefined> {
  const leaseExpiresAt = now + leaseMs;
  return inTx(ctx, async (trx) => {
    let next = trx
      .selectFrom("tasks")
      .select("task_id")
      .where("run_id", "=", runId)
      .where("status", "=", "queued")
      .where((eb) => eb.or([eb("not_before", "is", null), eb("not_before", "<=", now)]))
      .orderBy("idx")
      .limit(1);
    if (ctx.dialect === "postgres") next = next.forUpdate().skipLocked();

    const row = await trx
      .updateTable("tasks")
      .set((eb) => ({
        status: "running",
        attempt: eb("attempt", "+", 1),
        lease_owner: workerId,
        lease_expires_at: leaseExpiresAt,
        not_before: null,
        updated_at: now,
      }))
      .where("run_id", "=", runId)
      .where("status", "=", "queued")
      .where("task_id", "=", next)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;

    await trx
      .insertInto("attempts")
      .values({
        run_id: runId,
        task_id: row.task_id,
        attempt: row.attempt,
        worker_id: workerId,
        status: "running",
        started_at: now,
      })
      .execute();
    return { task: toTask(row), attempt: row.attempt, workerId, leaseExpiresAt };
  });
}
