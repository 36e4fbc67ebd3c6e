import { isFinalTask, type RunStatus, type TaskRecord } from "../store/types.js";
import type { RunContext } from "./context.js";
import { integrate } from "./integrator.js";
import { schedule } from "./scheduler.js";

export interface Verdict {
  status: RunStatus;
  reason: string | null;
}

/**
 * One look at the run: expired leases go back to the queue, finished work lands, tasks whose
 * dependencies are met are queued (and those whose dependencies failed are skipped).
 * Returns the run's verdict once every task is final.
 */
export async function advance(ctx: RunContext): Promise<Verdict | null> {
  const { store, bus, runId } = ctx;
  for (const t of await store.requeueExpired(runId)) {
    if (t.status === "failed")
      bus.emit({ type: "task:failed", runId, taskId: t.taskId, reason: t.reason ?? "" });
  }
  await integrate(ctx);

  let tasks = await store.listTasks(runId);
  const decision = schedule({ tasks, edges: ctx.graph.edges, presatisfied: ctx.presatisfied });
  if (decision.skip.length > 0) {
    for (const { taskId, reason } of decision.skip) {
      await store.finalizeTasks(runId, [taskId], "skipped", reason);
      bus.emit({ type: "task:skipped", runId, taskId, reason });
    }
  }
  if (decision.ready.length > 0 && !ctx.stopClaiming.value) {
    const run = await store.getRun(runId);
    const head = run?.integrationHead ?? run?.baseCommit ?? "";
    const items: Array<{ taskId: string; baseCommit: string }> = [];
    const batchBases = new Map<string, string>();
    for (const r of decision.ready) {
      let base = head;
      if (r.baseFrom === "batch") {
        base = batchBases.get(r.batchId) ?? (await store.setBatchBase(runId, r.batchId, head));
        if (!batchBases.has(r.batchId))
          bus.emit({ type: "batch:ready", runId, batchId: r.batchId, baseCommit: base });
        batchBases.set(r.batchId, base);
      }
      items.push({ taskId: r.taskId, baseCommit: base });
    }
    await store.markReady(runId, items);
    for (const item of items) bus.emit({ type: "task:queued", runId, ...item });
    ctx.workWake.notify();
  }
  if (decision.skip.length > 0 || decision.ready.length > 0) tasks = await store.listTasks(runId);
  return verdict(tasks);
}

export function verdict(tasks: readonly TaskRecord[]): Verdict | null {
  if (!tasks.every((t) => isFinalTask(t.status))) return null;
  const failed = tasks.filter((t) => t.status === "failed");
  if (tasks.some((t) => t.status === "cancelled")) return { status: "cancelled", reason: "cancelled" };
  if (failed.length > 0) {
    const ids = failed.map((t) => t.taskId).join(", ");
    return {
      status: "failed",
      reason: `${failed.length} task${failed.length > 1 ? "s" : ""} failed: ${ids}`,
    };
  }
  const blocked = tasks.filter((t) => t.status === "skipped" && t.reason?.startsWith("depends on"));
  if (blocked.length > 0)
    return { status: "failed", reason: `${blocked.length} task(s) skipped after a failure` };
  return { status: "succeeded", reason: null };
}
