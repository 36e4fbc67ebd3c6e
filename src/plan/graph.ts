import { PlanError } from "./errors.js";
import { pathKey } from "./files.js";
import { dependencyOrder } from "./order.js";
import type { Plan, PlanBatch, PlanTask, TaskId } from "./types.js";

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
 * Decides which task waits for which: the one place the scheduler and `plan check` ask. Edges are added
 * strongest first (written dependencies, batches, inferred files, flat order, file guard) and one pair keeps
 * one edge, a `dep` winning over an `order`. Order and guard edges follow the dependency order, so they never
 * close a cycle.
 */
export function planGraph(plan: Plan, opts: GraphOptions): PlanGraph {
  const { order } = dependencyOrder(plan);
  const inOrder = completeOrder(plan, order);
  const byTask = new Map<TaskId, Map<TaskId, PlanEdge>>(plan.tasks.map((t) => [t.id, new Map()]));
  const add = (t: TaskId, on: TaskId, kind: EdgeKind, reason: EdgeReason) => {
    const m = byTask.get(t);
    if (!m || t === on || !byTask.has(on)) return;
    const had = m.get(on);
    if (!had || (had.kind === "order" && kind === "dep")) m.set(on, { on, kind, reason });
  };

  for (const t of plan.tasks) for (const d of t.dependsOn) add(t.id, d, "dep", "depends-on");
  const batches = new Map(plan.batches.map((b) => [b.id as string, b]));
  for (const b of plan.batches) {
    for (const d of b.dependsOn) {
      const on = batches.get(d);
      if (!on) continue;
      for (const t of b.tasks) for (const u of on.tasks) add(t, u, "dep", "batch");
    }
  }
  const flat = plan.shape === "flat";
  if (flat && opts.parallel) {
    for (const t of plan.tasks) for (const d of t.inferredDependsOn) add(t.id, d, "dep", "inferred-file");
  }
  if (flat && !opts.parallel) {
    let prev: PlanTask | undefined;
    for (const t of inOrder) {
      if (t.skip) continue;
      if (prev) add(t.id, prev.id, "order", "flat-order");
      prev = t;
    }
  } else if (opts.fileGuard) {
    const rank = new Map(inOrder.map((t, i) => [t.id, i]));
    const taskById = new Map(plan.tasks.map((t) => [t.id, t]));
    for (const b of plan.batches) guardBatch(b, taskById, rank, byTask, add);
  }

  const edges = new Map<TaskId, PlanEdge[]>();
  for (const [t, m] of byTask) edges.set(t, [...m.values()]);
  return { edges, waves: waves(plan, edges) };
}

/** Within one batch, a task declaring a file an earlier task also declares waits for the nearest such task. */
function guardBatch(
  batch: PlanBatch,
  taskById: Map<TaskId, PlanTask>,
  rank: Map<TaskId, number>,
  byTask: Map<TaskId, Map<TaskId, PlanEdge>>,
  add: (t: TaskId, on: TaskId, kind: EdgeKind, reason: EdgeReason) => void,
): void {
  const tasks = batch.tasks
    .map((id) => taskById.get(id))
    .filter((t): t is PlanTask => t !== undefined && !t.skip)
    .sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  const last = new Map<string, TaskId>();
  for (const t of tasks) {
    const writes = t.files.filter((f) => f.kind !== "read").map((f) => pathKey(f.path));
    for (const key of writes) {
      const u = last.get(key);
      if (u !== undefined && u !== t.id && !byTask.get(t.id)?.has(u)) add(t.id, u, "order", "file-guard");
    }
    for (const key of writes) last.set(key, t.id);
  }
}

/** The dependency order, with any task it could not place (only in hand-made plans with cycles) appended. */
function completeOrder(plan: Plan, order: PlanTask[]): PlanTask[] {
  if (order.length === plan.tasks.length) return order;
  const placed = new Set(order.map((t) => t.id));
  return [...order, ...plan.tasks.filter((t) => !placed.has(t.id))];
}

/** Topological levels over all edges; a skipped task counts as already done. */
function waves(plan: Plan, edges: Map<TaskId, PlanEdge[]>): TaskId[][] {
  const task = new Map(plan.tasks.map((t) => [t.id, t]));
  const waiting = new Map<TaskId, number>();
  const dependents = new Map<TaskId, TaskId[]>();
  for (const [t, es] of edges) {
    waiting.set(t, es.length);
    for (const e of es) {
      const list = dependents.get(e.on);
      if (list) list.push(t);
      else dependents.set(e.on, [t]);
    }
  }
  const level = new Map<TaskId, number>();
  const ready = plan.tasks.filter((t) => waiting.get(t.id) === 0).map((t) => t.id);
  for (let i = 0; i < ready.length; i++) {
    const t = ready[i]!;
    let l = -1;
    for (const e of edges.get(t) ?? []) l = Math.max(l, level.get(e.on) ?? -1);
    level.set(t, task.get(t)?.skip ? -1 : l + 1);
    for (const d of dependents.get(t) ?? []) {
      const w = waiting.get(d)! - 1;
      waiting.set(d, w);
      if (w === 0) ready.push(d);
    }
  }
  if (ready.length < plan.tasks.length) {
    const stuck = plan.tasks.find((t) => !level.has(t.id));
    throw new PlanError(
      "PLAN_CYCLE",
      `the tasks' dependencies go round in a circle (Task ${stuck?.id} is on or after it): remove one of them`,
      stuck?.pos,
      plan.source,
    );
  }
  const out: TaskId[][] = [];
  for (const t of plan.tasks) {
    const l = level.get(t.id) ?? -1;
    if (l < 0) continue;
    while (out.length <= l) out.push([]);
    out[l]!.push(t.id);
  }
  return out;
}
