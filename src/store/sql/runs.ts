import { toBatch, toJson, toRun } from "../rows.js";
import type { BatchRecord, NewRun, RunId, RunRecord } from "../types.js";
import { type Ctx, chunks, inTx } from "./context.js";

/** The run, its batches and its tasks in one transaction: a run is never visible half-created. */
export async function createRun(ctx: Ctx, run: NewRun, now: number): Promise<RunRecord> {
  return inTx(ctx, async (trx) => {
    const row = await trx
      .insertInto("runs")
      .values({
        id: run.id,
        repo: run.repo,
        plan_path: run.planPath,
        plan_json: run.planJson,
        options_json: run.optionsJson,
        base_commit: run.baseCommit,
        integration_branch: run.integrationBranch,
        integration_head: null,
        status: "pending",
        reason: null,
        cancel_requested: 0,
        created_at: now,
        started_at: null,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const part of chunks(run.batches)) {
      await trx
        .insertInto("batches")
        .values(
          part.map((b) => ({
            run_id: run.id,
            batch_id: b.batchId,
            idx: b.index,
            title: b.title,
            depends_on: toJson(b.dependsOn) ?? "[]",
            base_commit: null,
            ready_at: null,
          })),
        )
        .execute();
    }
    for (const part of chunks(run.tasks)) {
      await trx
        .insertInto("tasks")
        .values(
          part.map((t) => ({
            run_id: run.id,
            task_id: t.taskId,
            batch_id: t.batchId,
            idx: t.index,
            title: t.title,
            status: t.status,
            attempt: 0,
            max_attempts: t.maxAttempts,
            reason: t.reason ?? null,
            conflict_retries: 0,
            updated_at: now,
          })),
        )
        .execute();
    }
    return toRun(row);
  });
}

export async function getRun(ctx: Ctx, id: RunId): Promise<RunRecord | undefined> {
  const row = await ctx.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRun(row);
}

export async function listRuns(ctx: Ctx): Promise<RunRecord[]> {
  const rows = await ctx.db.selectFrom("runs").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toRun);
}

export async function updateRun(
  ctx: Ctx,
  id: RunId,
  patch: Partial<Pick<RunRecord, "status" | "reason" | "integrationHead" | "startedAt" | "finishedAt">>,
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.reason !== undefined) set.reason = patch.reason;
  if (patch.integrationHead !== undefined) set.integration_head = patch.integrationHead;
  if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
  if (Object.keys(set).length === 0) return;
  await ctx.db.updateTable("runs").set(set).where("id", "=", id).execute();
}

export async function requestCancel(ctx: Ctx, id: RunId): Promise<void> {
  await ctx.db.updateTable("runs").set({ cancel_requested: 1 }).where("id", "=", id).execute();
}

/** A cancelled run re-opened (resume, retry): the old request must not cancel it again. */
export async function withdrawCancel(ctx: Ctx, id: RunId): Promise<void> {
  await ctx.db.updateTable("runs").set({ cancel_requested: 0 }).where("id", "=", id).execute();
}

export async function listBatches(ctx: Ctx, runId: RunId): Promise<BatchRecord[]> {
  const rows = await ctx.db
    .selectFrom("batches")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("idx")
    .execute();
  return rows.map(toBatch);
}

/** First value wins: the UPDATE only fills an empty base, then the stored base is read back. */
export async function setBatchBase(
  ctx: Ctx,
  runId: RunId,
  batchId: string,
  baseCommit: string,
  now: number,
): Promise<string> {
  return inTx(ctx, async (trx) => {
    await trx
      .updateTable("batches")
      .set({ base_commit: baseCommit, ready_at: now })
      .where("run_id", "=", runId)
      .where("batch_id", "=", batchId)
      .where("base_commit", "is", null)
      .execute();
    const row = await trx
      .selectFrom("batches")
      .select("base_commit")
      .where("run_id", "=", runId)
      .where("batch_id", "=", batchId)
      .executeTakeFirst();
    if (!row?.base_commit) throw new Error(`unknown batch ${batchId} in run ${runId}`);
    return row.base_commit;
  });
}
