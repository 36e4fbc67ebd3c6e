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
  // A task's keys, reused across tasks: a Set and a spread per task showed at 10,000 tasks.
  const keys: string[] = [];
  for (const task of order) {
    const files = task.files;
    keys.length = 0;
    for (const f of files) keys.push(pathKey(f.path));
    let inferred: TaskId[] | undefined;
    for (const key of keys) {
      const w = lastWriter.get(key);
      if (w === undefined || w === task.id || task.dependsOn.includes(w)) continue;
      if (!inferred) inferred = [w];
      else if (!inferred.includes(w)) inferred.push(w);
    }
    if (inferred) task.inferredDependsOn = inferred;
    else if (task.inferredDependsOn.length > 0) task.inferredDependsOn = [];
    for (let i = 0; i < files.length; i++) if (files[i]!.kind !== "read") lastWriter.set(keys[i]!, task.id);
  }
}
