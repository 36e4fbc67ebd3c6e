import type { BuiltBatch } from "./batch.js";
import { PlanError } from "./errors.js";
import { refComponentProblem } from "./ids.js";
import { dependencyOrder } from "./order.js";
import type { BuiltTask } from "./task.js";
import type { Plan, PlanTask } from "./types.js";

/**
 * Checks ids and dependencies: duplicate ids, dependencies on unknown tasks or batches, cycles. Returns
 * the dependency order of the tasks.
 */
export function validate(plan: Plan, batches: BuiltBatch[], tasks: BuiltTask[], file?: string): PlanTask[] {
  const seen = new Map<string, PlanTask>();
  for (const { task } of tasks) {
    const problem = refComponentProblem(task.id);
    if (problem) {
      throw new PlanError(
        "PLAN_BAD_TASK_ID",
        `Task ${task.id}: the id becomes part of a git branch name (orchard/<run>/tasks/${task.id}) and ${problem}: rename the task`,
        task.pos,
        file,
      );
    }
    const before = seen.get(task.id);
    if (before) {
      throw new PlanError(
        "PLAN_DUPLICATE_TASK",
        `Task ${task.id} is defined twice, at line ${before.pos.line} and line ${task.pos.line}: give each task its own id`,
        task.pos,
        file,
      );
    }
    seen.set(task.id, task);
  }
  const batchSeen = new Map<string, BuiltBatch>();
  for (const b of batches) {
    const before = batchSeen.get(b.batch.id);
    if (before) {
      throw new PlanError(
        "PLAN_DUPLICATE_BATCH",
        `Batch ${b.batch.id} is defined twice, at line ${before.batch.pos.line} and line ${b.batch.pos.line}: give each batch its own number`,
        b.batch.pos,
        file,
      );
    }
    batchSeen.set(b.batch.id, b);
  }
  for (const { task, dependsAt } of tasks) {
    for (const d of task.dependsOn) {
      if (seen.has(d)) continue;
      throw new PlanError(
        "PLAN_UNKNOWN_TASK",
        `Task ${task.id} depends on Task ${d}, which is not in the plan: fix the id in **Depends on:** or remove it`,
        dependsAt,
        file,
      );
    }
  }
  for (const { batch, dependsAt } of batches) {
    for (const d of batch.dependsOn) {
      if (batchSeen.has(d)) continue;
      throw new PlanError(
        "PLAN_UNKNOWN_BATCH",
        `Batch ${batch.id} depends on Batch ${d}, which is not in the plan: fix **Dependencies:** or write "None"`,
        dependsAt,
        file,
      );
    }
  }
  const { order, cycle } = dependencyOrder(plan);
  if (cycle) {
    const first = [...cycle.tasks].sort((a, b) => a.index - b.index)[0];
    const at = first?.pos ?? batches.find((b) => `Batch ${b.batch.id}` === cycle.names[0])?.batch.pos;
    throw new PlanError(
      "PLAN_CYCLE",
      `dependency cycle: ${cycle.names.join(" → ")} (each waits for the next): remove one of these dependencies`,
      at,
      file,
    );
  }
  if (plan.shape === "flat") warnForwardDependencies(plan);
  return order;
}

/** Flat plans run in plan order; a dependency on a later task reorders them, which is worth a word. */
function warnForwardDependencies(plan: Plan): void {
  const indexOf = new Map(plan.tasks.map((t) => [t.id as string, t.index]));
  for (const t of plan.tasks) {
    for (const d of t.dependsOn) {
      if ((indexOf.get(d) ?? 0) > t.index) {
        plan.warnings.push({
          code: "FORWARD_DEPENDENCY",
          message: `Task ${t.id} depends on Task ${d}, which comes later in the plan; it will run after it`,
          pos: t.pos,
        });
      }
    }
  }
}
