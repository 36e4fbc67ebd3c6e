import { toJson } from "../rows.js";
import type { AttemptOutcome, Claim, TaskStatus } from "../types.js";
import { type Ctx, inTx } from "./context.js";
import { holdsLease } from "./fence.js";
import { merge } from "./leases.js";

interface TaskTransition {
  status: TaskStatus;
  maxAttempts: number;
  notBefore: number | null;
}

/** What a finished attempt does to its task: the retry policy in one place. */
export function nextTaskState(outcome: AttemptOutcome, attempt: number, maxAttempts: number): TaskTransition {
  if (outcome.kind === "succeeded") return { status: "completed", maxAttempts, notBefore: null };
  if (outcome.retryable && outcome.freeRetry) {
    // A rate limit is not the task's fault: hand the attempt back. The caller bounds how often.
    return { status: "queued", maxAttempts: maxAttempts + 1, notBefore: outcome.notBefore ?? null };
  }
  if (outcome.retryable && attempt < maxAttempts) {
    return { status: "queued", maxAttempts, notBefore: outcome.notBefore ?? null };
  }
  return { status: "failed", maxAttempts, notBefore: null };
}

/**
 * Records an attempt's outcome if, and only if, the claim still holds the lease. The task row is read
 * under a lock (FOR UPDATE on Postgres, the write transaction on SQLite) so a concurrent expiry
 * either happened before (and this returns false) or waits until this commits.
 */
export async function finishAttempt(
  ctx: Ctx,
  claim: Claim,
  outcome: AttemptOutcome,
  now: number,
): Promise<boolean> {
  return inTx(ctx, async (trx) => {
    let read = trx.selectFrom("tasks").select(["attempt", "max_attempts"]).where(holdsLease(claim));
    if (ctx.dialect === "postgres") read = read.forUpdate();
    const task = await read.executeTakeFirst();
    if (!task) return false;

    const next = nextTaskState(outcome, task.attempt, task.max_attempts);
    const succeeded = outcome.kind === "succeeded";
    const reason = succeeded ? null : outcome.reason;
    await trx
      .updateTable("tasks")
      .set({
        status: next.status,
        max_attempts: next.maxAttempts,
        not_before: next.notBefore,
        result_commit: succeeded ? outcome.resultCommit : null,
        reason,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      })
      .where(holdsLease(claim))
      .execute();

    const key = { run_id: claim.task.runId, task_id: claim.task.taskId, attempt: claim.attempt };
    // Only read what updateAttempt stored when there is something to merge into it.
    const merging = outcome.usage !== undefined || outcome.timings !== undefined;
    const stored = merging
      ? await trx
          .selectFrom("attempts")
          .select(["usage", "timings"])
          .where("run_id", "=", key.run_id)
          .where("task_id", "=", key.task_id)
          .where("attempt", "=", key.attempt)
          .executeTakeFirst()
      : undefined;
    // A null log path or absent usage/timings keeps what updateAttempt recorded during the attempt.
    await trx
      .updateTable("attempts")
      .set({
        status: outcome.kind,
        reason,
        exit_code: outcome.exitCode,
        signal: succeeded ? null : (outcome.signal ?? null),
        commit_sha: succeeded ? outcome.resultCommit : null,
        finished_at: now,
        ...(outcome.logPath !== null && { log_path: outcome.logPath }),
        ...(outcome.usage !== undefined && { usage: toJson(merge(stored?.usage ?? null, outcome.usage)) }),
        ...(outcome.timings !== undefined && {
          timings: toJson(merge(stored?.timings ?? null, outcome.timings)),
        }),
      })
      .where("run_id", "=", key.run_id)
      .where("task_id", "=", key.task_id)
      .where("attempt", "=", key.attempt)
      .execute();
    return true;
  });
}
