import { fromJson, toJson } from "../rows.js";
import type { AttemptRecord, Claim } from "../types.js";
import { type Ctx, inTx } from "./context.js";
import { holdsLease } from "./fence.js";

export async function renewLease(ctx: Ctx, claim: Claim, leaseMs: number, now: number): Promise<boolean> {
  const result = await ctx.db
    .updateTable("tasks")
    .set({ lease_expires_at: now + leaseMs, updated_at: now })
    .where(holdsLease(claim))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

type AttemptPatch = Partial<Pick<AttemptRecord, "slotId" | "logPath" | "timings" | "usage">>;

/**
 * Fenced like finishAttempt. The task row is locked first (FOR UPDATE on Postgres; SQLite's write
 * transaction already excludes everyone) so the lease cannot be lost between check and write.
 * Timings and usage merge into what the attempt already recorded.
 */
export async function updateAttempt(ctx: Ctx, claim: Claim, patch: AttemptPatch): Promise<boolean> {
  return inTx(ctx, async (trx) => {
    let check = trx.selectFrom("tasks").select("attempt").where(holdsLease(claim));
    if (ctx.dialect === "postgres") check = check.forUpdate();
    if (!(await check.executeTakeFirst())) return false;

    const key = { run_id: claim.task.runId, task_id: claim.task.taskId, attempt: claim.attempt };
    const current = await trx
      .selectFrom("attempts")
      .select(["usage", "timings"])
      .where("run_id", "=", key.run_id)
      .where("task_id", "=", key.task_id)
      .where("attempt", "=", key.attempt)
      .executeTakeFirst();
    const set: Record<string, unknown> = {};
    if (patch.slotId !== undefined) set.slot_id = patch.slotId;
    if (patch.logPath !== undefined) set.log_path = patch.logPath;
    if (patch.timings !== undefined) set.timings = toJson(merge(current?.timings ?? null, patch.timings));
    if (patch.usage !== undefined) set.usage = toJson(merge(current?.usage ?? null, patch.usage));
    if (Object.keys(set).length > 0) {
      await trx
        .updateTable("attempts")
        .set(set)
        .where("run_id", "=", key.run_id)
        .where("task_id", "=", key.task_id)
        .where("attempt", "=", key.attempt)
        .execute();
    }
    return true;
  });
}

/** Shallow merge of a stored JSON object with a patch; a null patch clears. */
export function merge(stored: string | object | null, patch: object | null): object | null {
  if (patch === null) return null;
  return { ...(fromJson<object>(stored) ?? {}), ...patch };
}
