import { randomUUID } from "node:crypto";
import { openStore, type StoreLocation } from "../open.js";
import type { NewRun, RunId, Store } from "../types.js";
import { type DrainCounts, drainRun } from "./loop.js";
import { spawnMeasuringChild } from "./spawn-child.js";

export interface ThroughputOptions {
  location: StoreLocation;
  /** No-op tasks in the measured run. */
  tasks: number;
  /** Concurrent async workers per process. */
  workers: number;
  /** 0 (default): the workers run in this process. N: N child processes, each with `workers` workers. */
  processes?: number;
  /** Kills the children after this long (default 5 minutes). */
  timeoutMs?: number;
}

export interface ThroughputResult {
  dialect: Store["dialect"];
  tasks: number;
  workers: number;
  processes: number;
  completed: number;
  rejected: number;
  elapsedMs: number;
  /** Claims plus successful completions of one task, per second. */
  tasksPerSecond: number;
}

function noopRun(tasks: number): NewRun {
  const id = `bench_${randomUUID().slice(0, 8)}` as RunId;
  return {
    id,
    repo: "(store throughput)",
    planPath: null,
    planJson: "{}",
    optionsJson: "{}",
    baseCommit: "0".repeat(40),
    integrationBranch: `orchard/${id}/integration`,
    batches: [{ batchId: "1", index: 0, title: "no-op", dependsOn: [] }],
    tasks: Array.from({ length: tasks }, (_, i) => ({
      taskId: `1.${i + 1}`,
      batchId: "1",
      index: i,
      title: "no-op",
      maxAttempts: 1,
      status: "pending" as const,
    })),
  };
}

/**
 * Measures claim + finishAttempt round trips per second on a real store: queues `tasks` no-op tasks
 * in a fresh run, then drains it with the given workers and processes. Start-up is not timed.
 * A measurement, not an assertion: the caller decides what is fast enough.
 */
export async function measureStoreThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const store = await openStore(options.location);
  try {
    const run = noopRun(options.tasks);
    await store.createRun(run, Date.now());
    await store.markReady(
      run.id,
      run.tasks.map((t) => ({ taskId: t.taskId, baseCommit: run.baseCommit })),
    );
    const processes = options.processes ?? 0;
    const counts =
      processes === 0
        ? [await drainRun(store, run.id, options.workers, "local")]
        : await inChildren(options, run.id, processes);
    const completed = counts.reduce((n, c) => n + c.finished, 0);
    const elapsedMs = Math.max(
      1,
      Math.max(...counts.map((c) => c.endedAt)) - Math.min(...counts.map((c) => c.startedAt)),
    );
    return {
      dialect: store.dialect,
      tasks: options.tasks,
      workers: options.workers,
      processes,
      completed,
      rejected: counts.reduce((n, c) => n + c.rejected, 0),
      elapsedMs,
      tasksPerSecond: Math.round((completed / elapsedMs) * 1000),
    };
  } finally {
    await store.close();
  }
}

async function inChildren(
  options: ThroughputOptions,
  runId: RunId,
  processes: number,
): Promise<DrainCounts[]> {
  const children = Array.from({ length: processes }, () =>
    spawnMeasuringChild(options.location, runId, options.workers, options.timeoutMs ?? 300_000),
  );
  try {
    await Promise.all(children.map((c) => c.ready));
    for (const child of children) child.go();
    return await Promise.all(children.map((c) => c.done));
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  }
}
