import { type Git, isGitError, type MergeIntoRefResult, tryRevParse } from "../git/index.js";
import { isFinalTask, type TaskRecord } from "../store/types.js";
import type { RunContext } from "./context.js";
import { headsRef, integrationBranch } from "./refs.js";

const LOCK_TTL_MS = 120_000;

/**
 * Lands completed tasks on the integration branch in landing order (plan order where the graph allows),
 * one merge at a time per run across every process (a store lock), never leaving the branch half-merged:
 * each merge is computed off to the side and the ref only moves, by compare-and-swap, when it is clean.
 * Returns how many tasks landed.
 */
export async function integrate(ctx: RunContext): Promise<number> {
  const { store, runId } = ctx;
  await ctx.integrationReady;
  // Nothing completed, nothing to land: no lock taken (two store writes saved on most looks at a run).
  if (!(await store.listTasks(runId)).some((t) => t.status === "completed")) return 0;
  const lock = `integrate:${runId}`;
  if (!(await store.tryLock(lock, ctx.owner, LOCK_TTL_MS))) return 0;
  let landed = 0;
  try {
    const run = await store.getRun(runId);
    if (!run) return 0;
    const tasks = new Map((await store.listTasks(runId)).map((t) => [t.taskId, t]));
    let head = run.integrationHead ?? run.baseCommit;
    const ref = headsRef(integrationBranch(runId));
    for (const taskId of ctx.landingOrder) {
      const task = tasks.get(taskId);
      if (!task || isFinalTask(task.status)) continue;
      if (task.status !== "completed") break;
      const next = await landOne(ctx, task, ref, head);
      if (next === null) break;
      head = next;
      landed++;
    }
  } finally {
    await store.unlock(lock, ctx.owner);
  }
  return landed;
}

/** Lands one task; returns the new head, or null when the task went back to work or failed. */
async function landOne(ctx: RunContext, task: TaskRecord, ref: string, head: string): Promise<string | null> {
  const { store, git, bus, runId } = ctx;
  const taskId = task.taskId;
  if (!task.resultCommit) {
    // Nothing to merge (an allowed no-change task): it lands where the branch stands.
    await store.markLanded(runId, taskId, head);
    bus.emit({ type: "task:landed", runId, taskId, commit: head });
    return head;
  }
  const title = ctx.tasks.get(taskId)?.title ?? "";
  const started = performance.now();
  let result: MergeIntoRefResult;
  try {
    // The ref only moves by compare-and-swap from `head`, so it is not read first: a lost swap is the
    // rare case (a crash after moving it, or someone else moving it) and is sorted out below.
    result = await ctx.landing.merge({
      ref,
      expectedHead: head,
      theirs: task.resultCommit,
      hooks: ctx.options.commitHooks,
      message: `Merge task ${taskId}: ${title}\n\nOrchard-Run: ${runId}\nOrchard-Task: ${taskId}\n`,
    });
  } catch (err) {
    if (!isGitError(err, "REF_CHANGED")) throw err;
    const actual = await tryRevParse(git, ref);
    // A crash between moving the ref and recording it: the merge is already there.
    if (actual && (await isMergeOf(git, actual, head, task.resultCommit))) {
      await store.markLanded(runId, taskId, actual);
      bus.emit({ type: "task:landed", runId, taskId, commit: actual });
      return actual;
    }
    const reason = `the integration branch ${ref} moved outside Orchard (expected ${head.slice(0, 12)}, found ${actual?.slice(0, 12) ?? "nothing"})`;
    await store.finalizeTasks(runId, [taskId], "failed", reason);
    bus.emit({ type: "task:failed", runId, taskId, reason });
    return null;
  }
  const mergeMs = performance.now() - started;
  if (result.kind === "merged") {
    await store.markLanded(runId, taskId, result.commit);
    bus.emit({
      type: "task:landed",
      runId,
      taskId,
      commit: result.commit,
      mergeMs: Math.round(mergeMs * 100) / 100,
    });
    return result.commit;
  }
  const files = result.conflicts;
  const canRetry =
    ctx.options.onConflict === "retry" && task.conflictRetries < ctx.options.maxConflictRetries;
  bus.emit({ type: "task:conflict", runId, taskId, files, willRetry: canRetry });
  if (canRetry) {
    const note = `Your previous attempt conflicted with work merged meanwhile, in: ${files.join(", ")}. The worktree now starts from the new integration head; redo the task on top of it.`;
    await store.requeueForConflict(runId, taskId, head, note);
    bus.emit({ type: "task:queued", runId, taskId, baseCommit: head });
    ctx.workWake.notify();
  } else {
    const reason = `merge conflict in ${files.join(", ")}${ctx.options.onConflict === "retry" ? " (conflict retries used up)" : ""}`;
    await store.finalizeTasks(runId, [taskId], "failed", reason);
    bus.emit({ type: "task:failed", runId, taskId, reason });
  }
  return null;
}

/** Is `commit` the merge of `theirs` into `head` (parents exactly [head, theirs])? */
async function isMergeOf(git: Git, commit: string, head: string, theirs: string): Promise<boolean> {
  const [first, second] = await Promise.all([
    tryRevParse(git, `${commit}^1`),
    tryRevParse(git, `${commit}^2`),
  ]);
  return first === head && second === theirs;
}
