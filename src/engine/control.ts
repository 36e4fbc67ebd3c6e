import { OrchardError } from "../errors.js";
import { isFinalRun, type RunId, type RunRecord, type Store } from "../store/types.js";
import { EventBus } from "./events.js";
import { finalizeCancelled } from "./execute.js";
import { liveWorkers } from "./liveness.js";
import { loadRun } from "./run.js";

/**
 * Cancels a run. A process executing it sees the request within a tick and kills its agents;
 * a run nobody is executing (interrupted, crashed) is cancelled here and now.
 */
export async function cancelRun(store: Store, runId: string): Promise<"requested" | "cancelled"> {
  const run = await loadRun(store, runId);
  if (isFinalRun(run.status)) {
    throw new OrchardError("RUN_FINISHED", `run ${run.id} already ${run.status}`);
  }
  await store.requestCancel(run.id);
  const now = Date.now();
  if ((await liveWorkers(store, run)).length > 0) return "requested";
  const bus = new EventBus();
  bus.on((e) => {
    const { type, runId: _r, ...data } = e;
    void store.appendEvent(run.id, type, data as Record<string, unknown>);
  });
  await finalizeCancelled({ store, runId: run.id, bus });
  await store.updateRun(run.id, { status: "cancelled", reason: "cancelled", finishedAt: now });
  await store.appendEvent(run.id, "run:finished", { status: "cancelled", reason: "cancelled" });
  return "cancelled";
}

/** Makes a failed, skipped or cancelled task runnable again (and the tasks it had blocked); `resume` runs them. */
export async function retryTask(store: Store, runId: string, taskId: string): Promise<string[]> {
  const run = await loadRun(store, runId);
  const tasks = await store.listTasks(run.id as RunId);
  const task = tasks.find((t) => t.taskId === taskId);
  if (!task) throw new OrchardError("TASK_NOT_FOUND", `run ${run.id} has no task ${taskId}`);
  if (!["failed", "skipped", "cancelled"].includes(task.status)) {
    throw new OrchardError(
      "USAGE",
      `task ${taskId} is ${task.status}; only failed, skipped or cancelled tasks can be retried`,
    );
  }
  const reset = [taskId];
  await store.resetTask(run.id, taskId);
  // Tasks skipped because of this one get their chance again too.
  for (const t of tasks) {
    if (t.status === "skipped" && t.reason?.startsWith("depends on") && t.taskId !== taskId) {
      if (await store.resetTask(run.id, t.taskId)) reset.push(t.taskId);
    }
  }
  if (isFinalRun(run.status)) {
    await store.updateRun(run.id, {
      status: "interrupted",
      reason: `retry of ${taskId} requested`,
      finishedAt: null,
    });
  }
  // A cancelled run's old request would cancel the retried task again on resume.
  if (run.cancelRequested) await store.withdrawCancel(run.id);
  await store.appendEvent(run.id, "task:retry-requested", { taskId, reset });
  return reset;
}

/**
 * Re-opens a cancelled run for `orchard resume` (issue 20 item 5): its cancelled tasks, and those
 * skipped because of them, become runnable again; the cancel request is withdrawn. Landed work stays.
 * A run cancelled while it was being driven, or one that crashed with a request pending, is resumed the
 * same way: resuming is the operator's word that the run should go on.
 */
export async function reopenCancelled(store: Store, run: RunRecord): Promise<string[]> {
  const reset: string[] = [];
  if (run.status === "cancelled") {
    for (const t of await store.listTasks(run.id)) {
      const blocked = t.status === "skipped" && t.reason?.startsWith("depends on");
      if ((t.status === "cancelled" || blocked) && (await store.resetTask(run.id, t.taskId)))
        reset.push(t.taskId);
    }
    await store.updateRun(run.id, {
      status: "interrupted",
      reason: "cancelled run resumed",
      finishedAt: null,
    });
    await store.appendEvent(run.id, "run:reopened", { reset });
  }
  if (run.cancelRequested) await store.withdrawCancel(run.id);
  return reset;
}
