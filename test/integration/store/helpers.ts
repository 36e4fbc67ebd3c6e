import { randomUUID } from "node:crypto";
import type { NewRun, RunId, Store, WorkerId } from "../../../src/store/index.js";

export const T0 = 1_700_000_000_000;

export const worker = (name: string) => name as WorkerId;

export function newRunId(): RunId {
  return `exec_${randomUUID().slice(0, 8)}` as RunId;
}

export interface RunShape {
  /** Task count, or explicit tasks. */
  tasks?: number;
  maxAttempts?: number;
  /** Plan indexes in insertion order (defaults to 0..n-1). */
  indexes?: number[];
  skipped?: string[];
}

/** A run with one batch `1` of tasks `1.1 … 1.n`. */
export function runInput(shape: RunShape = {}): NewRun {
  const count = shape.indexes?.length ?? shape.tasks ?? 3;
  const indexes = shape.indexes ?? Array.from({ length: count }, (_, i) => i);
  return {
    id: newRunId(),
    repo: "/tmp/repo",
    planPath: "plan.md",
    planJson: JSON.stringify({ title: "plan" }),
    optionsJson: JSON.stringify({ workers: 2 }),
    baseCommit: "base0",
    integrationBranch: "orchard/x/integration",
    batches: [{ batchId: "1", index: 0, title: "Batch one", dependsOn: [] }],
    tasks: indexes.map((index) => {
      const taskId = `1.${index + 1}`;
      const skipped = shape.skipped?.includes(taskId) ?? false;
      return {
        taskId,
        batchId: "1",
        index,
        title: `Task ${taskId}`,
        maxAttempts: shape.maxAttempts ?? 3,
        status: skipped ? ("skipped" as const) : ("pending" as const),
        ...(skipped && { reason: "already completed" }),
      };
    }),
  };
}

/** Creates a run and queues every pending task on base `base0`. */
export async function queuedRun(store: Store, shape: RunShape = {}): Promise<RunId> {
  const input = runInput(shape);
  await store.createRun(input, T0);
  await store.markReady(
    input.id,
    input.tasks.filter((t) => t.status === "pending").map((t) => ({ taskId: t.taskId, baseCommit: "base0" })),
    T0,
  );
  return input.id;
}

export const ok = { kind: "succeeded", resultCommit: "c1", exitCode: 0, logPath: null } as const;

export const fail = (retryable: boolean, extra: { notBefore?: number; freeRetry?: boolean } = {}) =>
  ({ kind: "failed", reason: "boom", retryable, exitCode: 1, logPath: null, ...extra }) as const;
