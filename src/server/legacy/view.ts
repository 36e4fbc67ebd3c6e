import {
  batchNumbers,
  isRunLive,
  loadRun,
  runPulls,
  type TaskPull,
  taskBranch,
  taskCommits,
} from "../../engine/index.js";
import { OrchardError } from "../../errors.js";
import type { Plan } from "../../plan/index.js";
import {
  type BatchRecord,
  isFinalTask,
  type RunRecord,
  type Store,
  type TaskRecord,
} from "../../store/index.js";
import type { LegacyBatchT, LegacyStatusT, LegacyTaskT } from "./schemas.js";

// The store's records in the original service's words.

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** A run and the batches of its range (`start_batch`…`end_batch`), with their numbers and tasks in plan order. */
export async function legacyScope(store: Store, executionId: string) {
  const run = await loadRun(store, executionId);
  const [batches, tasks, pulls] = await Promise.all([
    store.listBatches(run.id),
    store.listTasks(run.id),
    runPulls(store, run.id),
  ]);
  const plan = JSON.parse(run.planJson) as Plan;
  const options = JSON.parse(run.optionsJson) as { startBatch?: number; endBatch?: number };
  const numbers = batchNumbers(plan);
  const inRange = (n: number) =>
    (options.startBatch === undefined || n >= options.startBatch) &&
    (options.endBatch === undefined || n <= options.endBatch);
  const scoped = batches
    .map((b) => ({ batch: b, number: numbers.get(b.batchId) ?? b.index + 1 }))
    .filter((b) => inRange(b.number))
    .sort((a, b) => a.number - b.number || a.batch.index - b.batch.index)
    .map((b) => ({
      ...b,
      tasks: tasks.filter((t) => t.batchId === b.batch.batchId).sort((x, y) => x.index - y.index),
    }));
  return { run, scoped, pulls };
}

type Pulls = Map<string | null, TaskPull>;
type Scoped = Awaited<ReturnType<typeof legacyScope>>["scoped"][number];

/** A task that did not run because one it depends on failed (or was skipped the same way). */
const blocked = (t: TaskRecord) => t.status === "skipped" && t.reason?.startsWith("depends on") === true;

/** A task landed on the integration branch whose pull request is still open is `pr_created` until it merges. */
export function taskWord(t: TaskRecord, pull?: TaskPull): LegacyTaskT["status"] {
  if (t.status === "landed" && pull && pull.state !== "merged") return "pr_created";
  switch (t.status) {
    case "pending":
    case "queued":
      return "pending";
    case "running":
      return "in_progress";
    case "completed":
      return "pr_created";
    case "landed":
      return "merged";
    case "skipped":
      // Completed in the plan already: its work is in the base. Blocked by a failure: failed.
      return blocked(t) ? "failed" : "merged";
    default:
      return "failed";
  }
}

function taskError(t: TaskRecord): string | null {
  if (t.status === "skipped") return `skipped: ${t.reason ?? "no reason recorded"}`;
  if (t.status === "cancelled")
    return `cancelled${t.reason && t.reason !== "cancelled" ? `: ${t.reason}` : ""}`;
  if (t.status === "failed") return t.reason ?? "failed";
  return null;
}

export async function legacyTask(
  store: Store,
  run: RunRecord,
  t: TaskRecord,
  pulls: Pulls,
): Promise<LegacyTaskT> {
  const attempts = t.attempt > 0 ? await store.listAttempts(run.id, t.taskId) : [];
  const pull = pulls.get(t.taskId);
  return {
    id: `${run.id}:${t.taskId}`,
    task_number: t.taskId,
    task_title: t.title,
    branch_name: taskBranch(run.id, t.taskId),
    pr_number: pull?.number ?? null,
    pr_url: pull?.url ?? null,
    status: taskWord(t, pull),
    commits: await taskCommits(run.repo, t),
    started_at: iso(attempts[0]?.startedAt),
    completed_at: isFinalTask(t.status) ? iso(t.updatedAt) : null,
    error: taskError(t),
  };
}

export function batchWord(
  batch: BatchRecord,
  tasks: readonly TaskRecord[],
  pulls: Pulls = new Map(),
): LegacyBatchT["status"] {
  if (tasks.every((t) => isFinalTask(t.status))) {
    // A batch whose tasks wait only for their pull requests to be merged on GitHub is done here.
    return tasks.some((t) => taskWord(t, pulls.get(t.taskId)) === "failed") ? "failed" : "complete";
  }
  if (tasks.some((t) => t.attempt > 0 || isFinalTask(t.status))) return "executing";
  if (batch.readyAt !== null || tasks.some((t) => t.status === "queued")) return "ready";
  return "pending";
}

export async function legacyBatches(store: Store, executionId: string): Promise<LegacyBatchT[]> {
  const { run, scoped, pulls } = await legacyScope(store, executionId);
  return Promise.all(scoped.map((b) => legacyBatch(store, run, b, pulls)));
}

async function legacyBatch(store: Store, run: RunRecord, b: Scoped, pulls: Pulls): Promise<LegacyBatchT> {
  const tasks = await Promise.all(b.tasks.map((t) => legacyTask(store, run, t, pulls)));
  const status = batchWord(b.batch, b.tasks, pulls);
  const starts = tasks
    .map((t) => t.started_at)
    .filter((s): s is string => s !== null)
    .sort();
  const done = status === "complete" || status === "failed";
  return {
    id: `${run.id}:batch-${b.batch.batchId}`,
    batch_number: b.number,
    status,
    started_at: starts[0] ?? iso(b.batch.readyAt),
    completed_at: done ? iso(Math.max(0, ...b.tasks.map((t) => t.updatedAt))) : null,
    tasks,
  };
}

/** `local`: runs this process executes (live though their workers may not have registered yet). */
export async function legacyStatus(
  store: Store,
  executionId: string,
  local: readonly string[] = [],
): Promise<LegacyStatusT> {
  const { run, scoped, pulls } = await legacyScope(store, executionId);
  const tasks = scoped.flatMap((b) => b.tasks);
  const words = tasks.map((t) => taskWord(t, pulls.get(t.taskId)));
  const open = scoped.find((b) => batchWord(b.batch, b.tasks, pulls) !== "complete");
  return {
    execution_id: run.id,
    status: await executionWord(store, run, tasks, local.includes(run.id)),
    current_batch: open?.number ?? scoped.at(-1)?.number ?? null,
    total_batches: scoped.length,
    tasks_completed: words.filter((w) => w === "merged" || w === "pr_created").length,
    tasks_total: tasks.length,
    // Tasks that failed; those skipped because of them say so in their own `error`, not here.
    tasks_failed: tasks.filter((t) => t.status === "failed").length,
    // Open pull requests, as the engine's activePulls lists them, from the one read of the log above.
    active_prs: [...pulls.values()]
      .filter((p) => p.state !== "merged")
      .sort((a, b) => a.number - b.number)
      .map((p) => ({ task_number: p.taskId ?? "run", pr_number: p.number, pr_url: p.url })),
    started_at: iso(run.startedAt ?? run.createdAt),
    completed_at: iso(run.finishedAt),
  };
}

async function executionWord(
  store: Store,
  run: RunRecord,
  tasks: readonly TaskRecord[],
  local: boolean,
): Promise<LegacyStatusT["status"]> {
  switch (run.status) {
    case "succeeded":
      return "complete";
    case "failed":
      return "failed";
    case "cancelled":
      return "cancelled";
    case "interrupted":
      return "interrupted";
    case "pending":
      return "started";
    default:
      if (!local && !(await isRunLive(store, run))) return "interrupted";
      return tasks.some((t) => t.attempt > 0 || t.status === "landed") ? "executing" : "started";
  }
}

/** One task of the run's range, by its number as written in the plan (matched exactly). */
export async function legacyTaskByNumber(store: Store, executionId: string, taskNumber: string) {
  const { run, scoped, pulls } = await legacyScope(store, executionId);
  const task = scoped.flatMap((b) => b.tasks).find((t) => t.taskId === taskNumber);
  if (!task) {
    throw new OrchardError(
      "TASK_NOT_FOUND",
      `execution ${run.id} has no task ${taskNumber} in its batch range`,
    );
  }
  return legacyTask(store, run, task, pulls);
}
