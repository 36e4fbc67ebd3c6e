import { measureSlotReady } from "../git/index.js";
import { runFreshBaseline } from "./fresh.js";
import { benchPlan } from "./plan.js";
import { runOnce } from "./run-once.js";
import type { RepoSize } from "./scenarios.js";
import { median, round } from "./stats.js";

/** Pooled slots against a fresh worktree per task, on one repository, measured in the same process. */
export interface SlotComparison {
  repo: RepoSize | "custom";
  files: number;
  /** p50 of acquiring a free pooled slot clean at the base (the hand-off the engine pays). */
  pooledReadyMs: number;
  /** p50 of `git worktree add` + `git worktree remove`. */
  freshReadyMs: number;
  /** fresh / pooled: how many times faster a pooled slot is ready. */
  readyRatio: number;
  /** The plan shape of the makespan comparison. */
  tasks: number;
  workers: number;
  durationMs: number;
  /** Medians to completion over `repeats` interleaved repetitions. */
  pooledMakespanMs: number;
  freshMakespanMs: number;
  /** fresh / pooled. */
  makespanRatio: number;
  repeats: number;
}

export interface SlotComparisonOptions {
  repo: string;
  label: RepoSize | "custom";
  files: number;
  iterations: number;
  repeats: number;
  tasks: number;
  workers: number;
  durationMs: number;
  log?: (line: string) => void;
}

/**
 * Slot-ready times come from the git module's own measurement; makespans alternate an engine run and a
 * fresh-worktree run so both see the same machine load. The engine's pool is warmed by one untimed run.
 */
export async function compareSlots(o: SlotComparisonOptions): Promise<SlotComparison> {
  const ready = await measureSlotReady({ repoDir: o.repo, iterations: o.iterations });
  o.log?.(
    `  slots @${o.label}: pooled ${round(ready.warmHandoffP50Ms, 2)} ms, fresh ${round(ready.freshWorktreeP50Ms, 1)} ms`,
  );
  const plan = benchPlan(o.tasks);
  await runOnce(o.repo, plan, o.workers, o.durationMs);
  const pooled: number[] = [];
  const fresh: number[] = [];
  for (let i = 0; i < o.repeats; i++) {
    pooled.push((await runOnce(o.repo, plan, o.workers, o.durationMs)).completedMs);
    fresh.push((await runFreshBaseline(o.repo, o.tasks, o.workers, o.durationMs)).completedMs);
    o.log?.(
      `  makespan @${o.label} rep ${i + 1}: pooled ${round(pooled.at(-1)!)} ms, fresh ${round(fresh.at(-1)!)} ms`,
    );
  }
  const pooledMakespanMs = median(pooled);
  const freshMakespanMs = median(fresh);
  return {
    repo: o.label,
    files: o.files,
    pooledReadyMs: ready.warmHandoffP50Ms,
    freshReadyMs: ready.freshWorktreeP50Ms,
    readyRatio: ready.freshWorktreeP50Ms / ready.warmHandoffP50Ms,
    tasks: o.tasks,
    workers: o.workers,
    durationMs: o.durationMs,
    pooledMakespanMs,
    freshMakespanMs,
    makespanRatio: freshMakespanMs / pooledMakespanMs,
    repeats: o.repeats,
  };
}
