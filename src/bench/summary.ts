import type { PhaseSamples } from "./phases.js";
import { emptyPhases } from "./phases.js";
import type { Repetition } from "./run-once.js";
import type { RowSpec } from "./scenarios.js";
import { lptMakespan, median, type Spread, spread } from "./stats.js";

export interface RowResult {
  name: string;
  scenario: string;
  tasks: number;
  workers: number;
  durationMs: number;
  repo: string;
  repeats: number;
  /** Whether one untimed repetition ran first (so the pool's worktrees already exist). */
  warmup: boolean;
  /** LPT bound; for equal tasks exactly ceil(tasks / workers) × duration. */
  idealMs: number;
  /** Sum of the task durations: the makespan of one worker. */
  serialMs: number;
  /** Median over the timed repetitions. */
  makespanMs: number;
  landedMs: number;
  /** ideal / makespan to completion, 0–1. */
  efficiency: number;
  /** ideal / makespan to landed, 0–1. */
  efficiencyLanded: number;
  /**
   * The agent floor (floor.ts): the same agents, as many at a time, with nothing else running; median
   * makespan, and ideal / that. What any orchestrator could at best reach with this agent here and now.
   */
  floorMs: number;
  floorEfficiency: number;
  /** serial / makespan to completion. */
  speedup: number;
  /** The seeds' formula, speedup / workers: not the efficiency (it cannot reach 1 when tasks do not divide evenly). */
  seedsEfficiency: number;
  /** Agent executions over every timed repetition, and the tasks they were for. */
  executions: number;
  expectedExecutions: number;
  duplicates: number;
  failedRuns: number;
  phases: Record<keyof PhaseSamples, Spread>;
  /** Peak resident set of the process that ran the row, in MB (null when it ran in-process). */
  peakRssMb: number | null;
  /**
   * CPU per task over the whole row (warm-up included), in this process (`engine`) and in its children
   * (git and the agents, `children`); null when the row ran in-process.
   */
  cpuPerTaskMs: { engine: number; children: number } | null;
  makespansMs: number[];
  landedsMs: number[];
  floorsMs: number[];
}

export function summarize(
  scenario: string,
  spec: RowSpec,
  reps: readonly Repetition[],
  warmup: boolean,
  floorsMs: readonly number[],
): RowResult {
  const durations = new Array<number>(spec.tasks).fill(spec.durationMs);
  const idealMs = lptMakespan(durations, spec.workers);
  const serialMs = spec.tasks * spec.durationMs;
  const makespanMs = median(reps.map((r) => r.completedMs));
  const landedMs = median(reps.map((r) => r.landedMs));
  const floorMs = median(floorsMs);
  const pooled = emptyPhases();
  for (const r of reps)
    for (const k of Object.keys(pooled) as Array<keyof PhaseSamples>) pooled[k].push(...r.phases[k]);
  const phases = Object.fromEntries(
    (Object.keys(pooled) as Array<keyof PhaseSamples>).map((k) => [k, spread(pooled[k])]),
  ) as Record<keyof PhaseSamples, Spread>;
  const executions = reps.reduce((n, r) => n + r.executions, 0);
  const expectedExecutions = reps.length * spec.tasks;
  return {
    name: spec.name,
    scenario,
    tasks: spec.tasks,
    workers: spec.workers,
    durationMs: spec.durationMs,
    repo: spec.repo,
    repeats: reps.length,
    warmup,
    idealMs,
    serialMs,
    makespanMs,
    landedMs,
    efficiency: idealMs / makespanMs,
    efficiencyLanded: idealMs / landedMs,
    floorMs,
    floorEfficiency: idealMs / floorMs,
    speedup: serialMs / makespanMs,
    seedsEfficiency: serialMs / makespanMs / spec.workers,
    executions,
    expectedExecutions,
    duplicates: Math.max(0, executions - expectedExecutions),
    failedRuns: reps.filter((r) => r.status !== "succeeded").length,
    phases,
    peakRssMb: null,
    cpuPerTaskMs: null,
    makespansMs: reps.map((r) => r.completedMs),
    landedsMs: reps.map((r) => r.landedMs),
    floorsMs: [...floorsMs],
  };
}
