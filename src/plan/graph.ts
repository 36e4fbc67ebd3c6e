import { PlanError } from "./errors.js";
import { pathKey } from "./files.js";
import { dependencyOrder } from "./order.js";
import type { Plan, PlanTask, TaskId } from "./types.js";

/** dep: wait until landed, and skip if it fails; order: wait until it is final (any outcome). */
export type EdgeKind = "dep" | "order";
export type EdgeReason = "depends-on" | "batch" | "flat-order" | "inferred-file" | "file-guard";
export interface PlanEdge {
  on: TaskId;
  kind: EdgeKind;
  reason: EdgeReason;
}
export interface PlanGraph {
  /** For every task, what it waits for. */
  edges: Map<TaskId, PlanEdge[]>;
  /** Topological levels: the tasks of one wave may run at the same time. Skipped tasks are left out. */
  waves: TaskId[][];
}

export interface GraphOptions {
  /** Flat plans: run tasks at the same time except where Files say otherwise. */
  parallel: boolean;
  /** Tasks of one batch that declare the same file run one after the other. */
  fileGuard: boolean;
}

/**
 * Decides which task waits for which: the one place the scheduler and `plan check` ask. Each task's edges
 * are added strongest first (written dependencies, batches, inferred files or flat order, file guard) and
 * one pair keeps one edge, a `dep` winning over an `order`. Order and guard edges follow the dependency
 * order, so they never close a cycle. Works on task indexes: 10,000 tasks with 100,000 batch edges.
 */
export function planGraph(plan: Plan, opts: GraphOptions): PlanGraph {
  const tasks = plan.tasks;
  const n = tasks.length;
  const at = new Map<string, number>();
  tasks.forEach((t, i) => {
    if (!at.has(t.id)) at.set(t.id, i);
  });
  const inOrder = completeOrder(plan, dependencyOrder(plan).order).map((t) => at.get(t.id)!);
  const flat = plan.shape === "flat";

  // What each task's batch waits for, as task indexes.
  const batchAt = new Map(plan.batches.map((b, i) => [b.id as string, i]));
  const batchTasks = plan.batches.map((b) => b.tasks.map((id) => at.get(id)).filter((i) => i !== undefined));
  const batchOf = new Int32Array(n).fill(-1);
  batchTasks.forEach((ts, b) => {
    for (const t of ts) batchOf[t] = b;
  });
  const batchDeps = plan.batches.map((b) =>
    b.dependsOn.map((d) => batchAt.get(d)).filter((i) => i !== undefined),
  );

  const prevOf = new Int32Array(n).fill(-1);
  let guardOn: (number[] | undefined)[] = [];
  if (flat && !opts.parallel) {
    let prev = -1;
    for (const t of inOrder) {
      if (tasks[t]!.skip) continue;
      prevOf[t] = prev;
      prev = t;
    }
  } else if (opts.fileGuard) {
    guardOn = guardCandidates(tasks, batchTasks, inOrder);
  }

  const lists: PlanEdge[][] = [];
  const edges = new EdgeAdder(tasks);
  for (let t = 0; t < n; t++) {
    edges.start(t);
    const task = tasks[t]!;
    for (const d of task.dependsOn) edges.add(at.get(d), "dep", "depends-on");
    const b = batchOf[t]!;
    if (b >= 0) for (const d of batchDeps[b]!) for (const u of batchTasks[d]!) edges.add(u, "dep", "batch");
    if (flat && opts.parallel)
      for (const d of task.inferredDependsOn) edges.add(at.get(d), "dep", "inferred-file");
    edges.add(prevOf[t], "order", "flat-order");
    const guard = guardOn[t];
    if (guard) for (const u of guard) edges.add(u, "order", "file-guard");
    lists.push(edges.list);
  }

  const byId = new Map<TaskId, PlanEdge[]>();
  for (let i = 0; i < n; i++) byId.set(tasks[i]!.id, lists[i]!);
  return { edges: byId, waves: waves(plan, edges.targets()) };
}

/**
 * Collects one task's edges at a time, one edge per pair. A class rather than a closure per task: at
 * 10,000 tasks and 100,000 batch edges the per-task allocations showed in the profile.
 */
class EdgeAdder {
  list: PlanEdge[] = [];
  private t = -1;
  /** What every task waits for as task indexes, task t's at on[first[t]] up to on[first[t + 1]]. */
  private readonly on: number[] = [];
  private readonly first: Int32Array;
  /** owner[u] === t: task t already has an edge on u, at slot[u]. */
  private readonly owner: Int32Array;
  private readonly slot: Int32Array;
  /** Every task of a batch gets the same batch edges: share the objects rather than make t × u of them. */
  private readonly batchEdge: (PlanEdge | undefined)[] = [];

  constructor(private readonly tasks: PlanTask[]) {
    this.owner = new Int32Array(tasks.length).fill(-1);
    this.slot = new Int32Array(tasks.length);
    this.first = new Int32Array(tasks.length + 1);
  }

  /** Starts task t's edges; tasks come in index order. */
  start(t: number): void {
    this.t = t;
    this.list = [];
    this.first[t] = this.on.length;
    this.first[t + 1] = this.on.length;
  }

  /** Every task's targets, once all tasks have been through `start` and `add`. */
  targets(): Targets {
    return { on: this.on, first: this.first };
  }

  add(u: number | undefined, kind: EdgeKind, reason: EdgeReason): void {
    if (u === undefined || u === this.t || u < 0) return;
    const list = this.list;
    if (this.owner[u] === this.t) {
      const at = this.slot[u]!;
      const had = list[at]!;
      if (had.kind === "order" && kind === "dep") list[at] = { on: had.on, kind, reason };
      return;
    }
    this.owner[u] = this.t;
    this.slot[u] = list.length;
    let edge = reason === "batch" ? this.batchEdge[u] : undefined;
    if (!edge) {
      edge = { on: this.tasks[u]!.id, kind, reason };
      if (reason === "batch") this.batchEdge[u] = edge;
    }
    list.push(edge);
    this.on.push(u);
    this.first[this.t + 1] = this.on.length;
  }
}

/**
 * Within one batch, a task declaring a file (other than to read it) that an earlier task of the batch also
 * declares waits for the nearest such task. Skipped tasks are done and take no part.
 */
function guardCandidates(
  tasks: PlanTask[],
  batchTasks: number[][],
  inOrder: number[],
): (number[] | undefined)[] {
  const rank = new Int32Array(tasks.length);
  inOrder.forEach((t, r) => {
    rank[t] = r;
  });
  const out: (number[] | undefined)[] = new Array(tasks.length);
  const last = new Map<string, number>();
  const keys: string[] = [];
  for (const members of batchTasks) {
    const sorted = members.filter((t) => !tasks[t]!.skip).sort((a, b) => rank[a]! - rank[b]!);
    last.clear();
    for (const t of sorted) {
      keys.length = 0;
      for (const f of tasks[t]!.files) if (f.kind !== "read") keys.push(pathKey(f.path));
      for (const key of keys) {
        const u = last.get(key);
        if (u === undefined || u === t) continue;
        const on = out[t];
        if (on) on.push(u);
        else out[t] = [u];
      }
      for (const key of keys) last.set(key, t);
    }
  }
  return out;
}

/** The dependency order, with any task it could not place (only in hand-made plans with cycles) appended. */
function completeOrder(plan: Plan, order: PlanTask[]): PlanTask[] {
  if (order.length === plan.tasks.length) return order;
  const placed = new Set(order.map((t) => t.id));
  return [...order, ...plan.tasks.filter((t) => !placed.has(t.id))];
}

/** Task indexes each task waits for, all in one array (see EdgeAdder). */
interface Targets {
  on: number[];
  first: Int32Array;
}

/** Topological levels over all edges (Kahn's algorithm); a skipped task counts as already done. */
function waves(plan: Plan, targets: Targets): TaskId[][] {
  const tasks = plan.tasks;
  const n = tasks.length;
  const { on, first } = targets;
  const waiting = new Int32Array(n);
  // Dependents as one flat array too: task u's at dependents[from[u]] up to dependents[from[u + 1]].
  const from = new Int32Array(n + 1);
  for (const u of on) from[u + 1]!++;
  for (let u = 0; u < n; u++) from[u + 1]! += from[u]!;
  const fill = from.slice(0, n);
  const dependents = new Int32Array(on.length);
  for (let t = 0; t < n; t++) {
    waiting[t] = first[t + 1]! - first[t]!;
    for (let i = first[t]!; i < first[t + 1]!; i++) dependents[fill[on[i]!]!++] = t;
  }
  const level = new Int32Array(n).fill(-2); // -2: not reached yet
  const queue: number[] = [];
  for (let t = 0; t < n; t++) if (waiting[t] === 0) queue.push(t);
  for (let q = 0; q < queue.length; q++) {
    const t = queue[q]!;
    let l = -1;
    for (let i = first[t]!; i < first[t + 1]!; i++) l = Math.max(l, level[on[i]!]!);
    level[t] = tasks[t]!.skip ? -1 : l + 1;
    for (let i = from[t]!; i < from[t + 1]!; i++) {
      const d = dependents[i]!;
      if (--waiting[d]! === 0) queue.push(d);
    }
  }
  if (queue.length < n) {
    const stuck = tasks[level.indexOf(-2)];
    throw new PlanError(
      "PLAN_CYCLE",
      `the tasks' dependencies go round in a circle (Task ${stuck?.id} is on or after it): remove one of them`,
      stuck?.pos,
      plan.source,
    );
  }
  const out: TaskId[][] = [];
  tasks.forEach((t, i) => {
    const l = level[i]!;
    if (l < 0) return;
    while (out.length <= l) out.push([]);
    out[l]!.push(t.id);
  });
  return out;
}
