import { pathKey } from "./files.js";
import type { PlanTask, TaskId } from "./types.js";

/**
 * Fills `inferredDependsOn`: a task that names a file an earlier task writes depends on the latest such
 * task. "Writes" is every kind but read (a Test: or bare path is a file the task changes too). `order` is
 * the dependency order, which is plan order unless a task depends on a later one; following it keeps
 * inferred edges from ever closing a cycle with written ones.
 */
export function inferFileDependencies(order: PlanTask[]): void {
  const lastWriter = new Map<string, TaskId>();
  for (const task of order) {
    const inferred = new Set<TaskId>();
    for (const f of task.files) {
      const w = lastWriter.get(pathKey(f.path));
      if (w !== undefined && w !== task.id && !task.dependsOn.includes(w)) inferred.add(w);
    }
    task.inferredDependsOn = [...inferred];
    for (const f of task.files) if (f.kind !== "read") lastWriter.set(pathKey(f.path), task.id);
  }
}
