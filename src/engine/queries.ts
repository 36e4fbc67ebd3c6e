import { open, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { OrchardError } from "../errors.js";
import { Git } from "../git/index.js";
import { loadPlan, type Plan, type PlanGraph, parsePlan, planGraph } from "../plan/index.js";
import type { AttemptRecord, EventRecord, RunRecord, RunStatus, Store, TaskRecord } from "../store/types.js";
import { liveWorkers } from "./liveness.js";
import type { RunOptions } from "./options.js";
import { loadRun } from "./repo-store.js";

// What the screens show (the CLI's and the API's): one function each, read from the store and git.

/** Whether a process is executing the run now; a `running` run whose process died is not. */
export async function isRunLive(store: Store, run: RunRecord): Promise<boolean> {
  return run.status === "running" && (await liveWorkers(store, run)).length > 0;
}

export interface RunSummary {
  id: RunRecord["id"];
  status: RunStatus;
  live: boolean;
  reason: string | null;
  planPath: string | null;
  integrationBranch: string;
  integrationHead: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  tasks: number;
  landed: number;
  failed: number;
}

/** Runs, newest first, optionally of one status; `total` counts every match. */
export async function listRunSummaries(
  store: Store,
  filter: { status?: RunStatus; limit?: number; offset?: number } = {},
): Promise<{ runs: RunSummary[]; total: number }> {
  const all = (await store.listRuns()).reverse().filter((r) => !filter.status || r.status === filter.status);
  const offset = filter.offset ?? 0;
  const page = all.slice(offset, offset + (filter.limit ?? 50));
  const runs = await Promise.all(
    page.map(async (r): Promise<RunSummary> => {
      const tasks = await store.listTasks(r.id);
      return {
        id: r.id,
        status: r.status,
        live: await isRunLive(store, r),
        reason: r.reason,
        planPath: r.planPath,
        integrationBranch: r.integrationBranch,
        integrationHead: r.integrationHead,
        createdAt: r.createdAt,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        tasks: tasks.length,
        landed: tasks.filter((t) => t.status === "landed").length,
        failed: tasks.filter((t) => t.status === "failed").length,
      };
    }),
  );
  return { runs, total: all.length };
}

/** One run with its batches, its tasks and their attempts, usage and cost (`status --json`, the API). */
export async function runView(store: Store, runId: string) {
  const run = await loadRun(store, runId);
  const [tasks, attempts, batches] = await Promise.all([
    store.listTasks(run.id),
    store.listAttempts(run.id),
    store.listBatches(run.id),
  ]);
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  const costUsd = attempts.reduce((s, a) => s + (a.usage?.costUsd ?? 0), 0);
  const { planJson: _p, optionsJson, ...rest } = run;
  return {
    ...rest,
    live: await isRunLive(store, run),
    options: JSON.parse(optionsJson) as RunOptions,
    counts,
    costUsd,
    batches,
    tasks: tasks.map((t) => ({ ...t, attempts: attempts.filter((a) => a.taskId === t.taskId) })),
  };
}

/** One task of a run with its attempts. */
export async function taskView(
  store: Store,
  runId: string,
  taskId: string,
): Promise<TaskRecord & { attempts: AttemptRecord[] }> {
  const run = await loadRun(store, runId);
  const task = await store.getTask(run.id, taskId);
  if (!task) throw new OrchardError("TASK_NOT_FOUND", `run ${run.id} has no task ${taskId}`);
  return { ...task, attempts: await store.listAttempts(run.id, taskId) };
}

/** Runs left unfinished: interrupted, or `running` with no live process (killed, crashed). */
export async function unfinishedRuns(store: Store): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for (const run of await store.listRuns()) {
    if (run.status === "interrupted" || (run.status === "running" && !(await isRunLive(store, run))))
      out.push(run);
  }
  return out;
}

/** Events after `afterSeq`: one run's, or every run's when `runId` is null. */
export async function eventsAfter(
  store: Store,
  runId: string | null,
  afterSeq: number,
  limit = 500,
): Promise<EventRecord[]> {
  if (runId === null) return store.listAllEvents(afterSeq, limit);
  const run = await loadRun(store, runId);
  return store.listEvents(run.id, afterSeq, limit);
}

export type LogKind = "agent" | "setup" | "verify";
const LOG_FILES: Record<Exclude<LogKind, "agent">, string> = { setup: "setup.log", verify: "verify.log" };

/** An attempt of a task (the last one by default) and where its log of one kind is, if it has one. */
export async function attemptLog(
  store: Store,
  runId: string,
  taskId: string,
  opts: { attempt?: number; kind?: LogKind } = {},
): Promise<{ attempt: AttemptRecord; path: string | null }> {
  const task = await taskView(store, runId, taskId);
  if (task.attempts.length === 0) {
    throw new OrchardError("TASK_NOT_FOUND", `task ${taskId} has not run yet (${task.status}): no log`);
  }
  const attempt =
    opts.attempt === undefined ? task.attempts.at(-1) : task.attempts.find((a) => a.attempt === opts.attempt);
  if (!attempt) {
    throw new OrchardError(
      "TASK_NOT_FOUND",
      `task ${taskId} has no attempt ${opts.attempt}; its attempts are ${task.attempts.map((a) => a.attempt).join(", ")}`,
    );
  }
  const kind = opts.kind ?? "agent";
  const path =
    attempt.logPath === null
      ? null
      : kind === "agent"
        ? attempt.logPath
        : join(dirname(attempt.logPath), LOG_FILES[kind]);
  return { attempt, path };
}

export interface LogSlice {
  text: string;
  /** Byte offsets of the slice in the file, end exclusive, and the file's size when read. */
  start: number;
  end: number;
  size: number;
}

/**
 * Part of a log file: bytes [start, end), or its last `tail` lines (searched for in the last 1 MiB).
 * A missing file reads as empty.
 */
export async function readLog(
  path: string | null,
  range: { start?: number; end?: number; tail?: number } = {},
): Promise<LogSlice> {
  const size = path
    ? await stat(path).then(
        (s) => s.size,
        () => -1,
      )
    : -1;
  if (path === null || size < 0) return { text: "", start: 0, end: 0, size: 0 };
  // A negative start counts from the end (`Range: bytes=-n`).
  let start = Math.min(
    range.start === undefined ? 0 : range.start < 0 ? Math.max(0, size + range.start) : range.start,
    size,
  );
  const end = Math.min(range.end ?? size, size);
  if (range.tail !== undefined) start = Math.max(0, end - 1024 * 1024);
  const bytes = await readBytes(path, start, Math.max(0, end - start));
  if (range.tail === undefined) return { text: bytes.toString("utf8"), start, end, size };
  const text = bytes.toString("utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const kept = lines.slice(Math.max(0, lines.length - range.tail));
  const out = kept.length > 0 ? `${kept.join("\n")}\n` : "";
  return { text: out, start: end - Buffer.byteLength(out), end, size };
}

async function readBytes(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What a task's result commit changed against the commit it started from. */
export async function taskDiff(
  store: Store,
  runId: string,
  taskId: string,
): Promise<{ taskId: string; base: string; commit: string; diff: string }> {
  const run = await loadRun(store, runId);
  const task = await taskView(store, run.id, taskId);
  if (!task.resultCommit || !task.baseCommit) {
    throw new OrchardError("TASK_NOT_FOUND", `task ${taskId} has no commit yet (${task.status})`);
  }
  const { stdout } = await new Git(run.repo).run(
    ["diff", "--no-color", "--no-ext-diff", task.baseCommit, task.resultCommit, "--"],
    { cwd: run.repo, readOnly: true },
  );
  return { taskId, base: task.baseCommit, commit: task.resultCommit, diff: stdout };
}

const commitLists = new Map<string, string[]>();

/** The commits on a task's branch from its base to its result, oldest first (the agent's own and Orchard's). */
export async function taskCommits(repo: string, task: TaskRecord): Promise<string[]> {
  if (!task.resultCommit) return [];
  if (!task.baseCommit) return [task.resultCommit];
  const key = `${repo}\0${task.baseCommit}..${task.resultCommit}`;
  const known = commitLists.get(key);
  if (known) return known;
  const { stdout } = await new Git(repo).run(
    ["rev-list", "--reverse", `${task.baseCommit}..${task.resultCommit}`],
    { cwd: repo, readOnly: true },
  );
  const list = stdout.split("\n").filter(Boolean);
  // Commits never change: a list is kept for the process's life (bounded, as pollers ask again and again).
  if (commitLists.size > 10_000) commitLists.clear();
  commitLists.set(key, list);
  return list;
}

export interface PlanCheck {
  ok: true;
  plan: Plan;
  graph: { edges: Record<string, unknown>; waves: PlanGraph["waves"] };
}

/** What `orchard plan check --json` prints for a valid plan; a PlanError for an invalid one. */
export async function checkPlan(
  input: { path: string; source?: string } | { text: string; source?: string },
  opts: { parallel?: boolean; fileGuard?: boolean } = {},
): Promise<PlanCheck> {
  const plan =
    "path" in input
      ? await loadPlan(input.path, { source: input.source ?? input.path })
      : parsePlan(input.text, { source: input.source ?? "plan.md" });
  const graph = planGraph(plan, { parallel: opts.parallel === true, fileGuard: opts.fileGuard !== false });
  return { ok: true, plan, graph: { edges: Object.fromEntries(graph.edges), waves: graph.waves } };
}

export interface TaskPull {
  /** Null for the run's single pull request (`--land run-pr`). */
  taskId: string | null;
  number: number;
  url: string;
  state: "open" | "merged" | "blocked";
}

/** Every pull request of a run, in the state its last `forge:pull` event left it, by task (run-pr: key null). */
export async function runPulls(store: Store, runId: string): Promise<Map<string | null, TaskPull>> {
  const run = await loadRun(store, runId);
  const pulls = new Map<string | null, TaskPull>();
  for (let after = 0; ; ) {
    const page = await store.listEvents(run.id, after, 1000);
    for (const e of page) {
      if (e.type !== "forge:pull") continue;
      const d = e.data as Omit<TaskPull, "taskId"> & { taskId?: string | null };
      const taskId = d.taskId ?? null;
      pulls.set(taskId, { taskId, number: d.number, url: d.url, state: d.state });
    }
    if (page.length < 1000) break;
    after = page.at(-1)?.seq ?? after;
  }
  return pulls;
}
