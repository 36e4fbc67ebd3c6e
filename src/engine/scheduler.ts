import type { PlanEdge } from "../plan/graph.js";
import { isFinalTask, type TaskRecord } from "../store/types.js";

export interface ScheduleInput {
  tasks: readonly TaskRecord[];
  edges: ReadonlyMap<string, readonly PlanEdge[]>;
  /** Tasks skipped when the run was created (plan says completed, or outside the batch range): they count as done. */
  presatisfied: ReadonlySet<string>;
}

export interface ReadyTask {
  taskId: string;
  batchId: string;
  /** `batch`: start from the batch's base commit; `head`: from the integration head now (it waited on tasks of its own batch). */
  baseFrom: "batch" | "head";
}

export interface ScheduleDecision {
  ready: ReadyTask[];
  skip: Array<{ taskId: string; reason: string }>;
}

/**
 * Which pending tasks may start now, and which can never start because something they depend on failed.
 * Pure: the same task states always give the same decision.
 */
export function schedule(input: ScheduleInput): ScheduleDecision {
  const byId = new Map(input.tasks.map((t) => [t.taskId, t]));
  const decision: ScheduleDecision = { ready: [], skip: [] };
  for (const task of input.tasks) {
    if (task.status !== "pending") continue;
    let waiting = false;
    let blockedBy: string | null = null;
    let baseFrom: ReadyTask["baseFrom"] = "batch";
    for (const edge of input.edges.get(task.taskId) ?? []) {
      if (input.presatisfied.has(edge.on)) continue;
      const other = byId.get(edge.on);
      if (!other) continue;
      if (edge.reason !== "batch") baseFrom = "head";
      if (edge.kind === "order") {
        if (!isFinalTask(other.status)) waiting = true;
        continue;
      }
      if (other.status === "landed") continue;
      if (isFinalTask(other.status)) {
        blockedBy ??= describeBlocker(other);
        continue;
      }
      waiting = true;
    }
    if (blockedBy) decision.skip.push({ taskId: task.taskId, reason: blockedBy });
    else if (!waiting) decision.ready.push({ taskId: task.taskId, batchId: task.batchId, baseFrom });
  }
  return decision;
}

function describeBlocker(other: TaskRecord): string {
  const what =
    other.status === "skipped" ? "was skipped" : other.status === "cancelled" ? "was cancelled" : "failed";
  return `depends on task ${other.taskId}, which ${what}`;
}

/**
 * The order in which finished tasks land: a topological order of the task graph that follows plan order
 * wherever the graph allows (it is exactly plan order for plans whose dependencies point backwards).
 */
export function landingOrder(
  tasks: ReadonlyArray<{ taskId: string; index: number }>,
  edges: ReadonlyMap<string, readonly PlanEdge[]>,
): string[] {
  const indexOf = new Map(tasks.map((t) => [t.taskId, t.index]));
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) indegree.set(t.taskId, 0);
  for (const t of tasks) {
    for (const edge of edges.get(t.taskId) ?? []) {
      if (!indexOf.has(edge.on)) continue;
      indegree.set(t.taskId, (indegree.get(t.taskId) ?? 0) + 1);
      const list = dependents.get(edge.on) ?? [];
      list.push(t.taskId);
      dependents.set(edge.on, list);
    }
  }
  const ready = new MinHeap<string>((a, b) => indexOf.get(a)! - indexOf.get(b)!);
  for (const [id, deg] of indegree) if (deg === 0) ready.push(id);
  const order: string[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const deg = indegree.get(next)! - 1;
      indegree.set(next, deg);
      if (deg === 0) ready.push(next);
    }
  }
  if (order.length !== tasks.length)
    throw new Error("task graph has a cycle (the plan parser should have refused it)");
  return order;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
