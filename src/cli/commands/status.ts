// Files of the engine rather than its index: `status` should not load the run loop (issue 21, startup).
import { liveWorkers } from "../../engine/liveness.js";
import { loadRun } from "../../engine/repo-store.js";
import type { RunId, RunRecord, Store } from "../../store/types.js";
import { duration, short, usd } from "../format.js";
import { println } from "../io.js";
import type { RegisterCommand } from "./index.js";
import { repoOption, withStore } from "./shared.js";

/**
 * Whether some process is executing the run now. A run whose process was killed (or crashed) stays
 * `running` in the store until it is resumed; this tells the two apart.
 */
async function isLive(store: Store, run: RunRecord): Promise<boolean> {
  return run.status === "running" && (await liveWorkers(store, run)).length > 0;
}

/** Rows as left-aligned columns two spaces apart; the last column is not padded. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  "));
}

/** What to say after a run's status when it says `running` but nothing executes it. */
function orphanNote(run: { id: string; status: string }, live: boolean): string {
  return run.status === "running" && !live
    ? ` — no live process (killed or crashed): \`orchard resume ${run.id}\` continues it`
    : "";
}

/** A run as `status --json` and the API show it. */
export async function runView(store: Store, runId: string) {
  const run = await loadRun(store, runId);
  const [tasks, attempts, batches, workers, live] = await Promise.all([
    store.listTasks(run.id),
    store.listAttempts(run.id),
    store.listBatches(run.id),
    store.listWorkers(run.id),
    liveWorkers(store, run),
  ]);
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  const costUsd = attempts.reduce((s, a) => s + (a.usage?.costUsd ?? 0), 0);
  const { planJson: _p, optionsJson, ...rest } = run;
  return {
    ...rest,
    live: run.status === "running" && live.length > 0,
    // Every process that worked on the run (host, pid, last heartbeat) and the tasks it holds now.
    workers: workers.map((w) => ({
      ...w,
      live: live.some((l) => l.id === w.id),
      tasks: tasks.filter((t) => t.status === "running" && t.leaseOwner === w.id).map((t) => t.taskId),
    })),
    integrationBranchExists: await (await import("../../engine/clean.js")).integrationBranchExists(
      run.repo,
      run.integrationBranch,
    ),
    options: JSON.parse(optionsJson) as Record<string, unknown>,
    counts,
    costUsd,
    batches,
    tasks: tasks.map((t) => ({
      ...t,
      attempts: attempts.filter((a) => a.taskId === t.taskId),
    })),
  };
}

export const registerStatus: RegisterCommand = (program, io) => {
  repoOption(
    program
      .command("status")
      .description("show runs, or one run's batches and tasks")
      .argument("[run]", "run id"),
  )
    .option("--json", "print JSON")
    .action(async (runId: string | undefined, flags: { repo?: string; json?: boolean }) => {
      await withStore(io, flags.repo, async (store) => {
        if (!runId) {
          const runs = await store.listRuns();
          if (flags.json) {
            const list = [];
            for (const r of runs) {
              const tasks = await store.listTasks(r.id);
              list.push({
                id: r.id,
                status: r.status,
                live: await isLive(store, r),
                reason: r.reason,
                planPath: r.planPath,
                integrationBranch: r.integrationBranch,
                integrationHead: r.integrationHead,
                createdAt: r.createdAt,
                finishedAt: r.finishedAt,
                tasks: tasks.length,
                landed: tasks.filter((t) => t.status === "landed").length,
                failed: tasks.filter((t) => t.status === "failed").length,
              });
            }
            println(io.stdout, JSON.stringify(list, null, 2));
            return;
          }
          if (runs.length === 0) {
            println(io.stdout, "no runs yet: `orchard run <plan>` starts one");
            return;
          }
          const rows: string[][] = [["RUN", "STATUS", "LANDED", "CREATED", "PLAN"]];
          for (const r of runs) {
            const tasks = await store.listTasks(r.id);
            const landed = tasks.filter((t) => t.status === "landed").length;
            rows.push([
              r.id,
              r.status,
              `${landed}/${tasks.length}`,
              new Date(r.createdAt).toISOString().replace("T", " ").slice(0, 19),
              `${r.planPath ?? "-"}${orphanNote(r, await isLive(store, r))}`,
            ]);
          }
          for (const line of columns(rows)) println(io.stdout, line);
          return;
        }
        const view = await runView(store, runId);
        if (flags.json) {
          println(io.stdout, JSON.stringify(view, null, 2));
          return;
        }
        const elapsed = (view.finishedAt ?? Date.now()) - (view.startedAt ?? view.createdAt);
        println(
          io.stdout,
          `run ${view.id}: ${view.status}${view.reason ? ` (${view.reason})` : ""}  ${duration(elapsed)}  ${usd(view.costUsd)}${orphanNote(view, view.live)}`,
        );
        println(
          io.stdout,
          `plan: ${view.planPath ?? "-"}   base: ${short(view.baseCommit)}   integration: ${view.integrationBranchExists ? `${view.integrationBranch} at ${short(view.integrationHead ?? view.baseCommit)}` : `${view.integrationBranch} (deleted)`}`,
        );
        for (const b of view.batches) {
          const deps = b.dependsOn.length ? `after batch ${b.dependsOn.join(", ")}` : "independent";
          println(
            io.stdout,
            `batch ${b.batchId}: ${b.title} (${deps})${b.baseCommit ? ` base ${short(b.baseCommit)}` : ""}`,
          );
        }
        const working = view.workers.filter((w) => w.live);
        if (working.length > 0) {
          println(io.stdout, `workers (${working.length} live of ${view.workers.length}):`);
          const now = Date.now();
          const rows = [["WORKER", "HOST", "PID", "HEARTBEAT", "TASKS"]];
          for (const w of working) {
            rows.push([
              w.id,
              w.host,
              String(w.pid),
              `${duration(now - w.heartbeatAt)} ago`,
              w.tasks.join(", ") || "-",
            ]);
          }
          for (const line of columns(rows)) println(io.stdout, `  ${line}`);
        }
        const attempts = view.tasks.flatMap((t) => t.attempts);
        const { summaryTable } = await import("../progress/summary.js");
        println(io.stdout, summaryTable(view.tasks, attempts, io.stdout.isTTY === true, io.stdout.columns));
        for (const t of view.tasks) {
          const last = t.attempts.at(-1);
          const u = last?.usage;
          if (u && (u.sessionId || u.turns || u.costUsd)) {
            println(
              io.stdout,
              `  ${t.taskId}: session ${u.sessionId ?? "-"}, ${u.turns ?? "?"} turns, ${u.inputTokens ?? 0} in / ${u.outputTokens ?? 0} out tokens${u.costUsd ? `, ${usd(u.costUsd)}` : ""}`,
            );
          }
        }
      });
    });
};

export type { RunId };
