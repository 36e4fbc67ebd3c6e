import type { ExpressionBuilder } from "kysely";
import type { Database } from "../schema.js";
import type { Claim } from "../types.js";

/**
 * The fencing condition: the task is still running this attempt under this worker. Anything that
 * acts on behalf of a claim (finish, renew, update) must match it or change nothing.
 */
export function holdsLease(claim: Claim) {
  return (eb: ExpressionBuilder<Database, "tasks">) =>
    eb.and([
      eb("run_id", "=", claim.task.runId),
      eb("task_id", "=", claim.task.taskId),
      eb("status", "=", "running"),
      eb("attempt", "=", claim.attempt),
      eb("lease_owner", "=", claim.workerId),
    ]);
}
