import { benchPlan } from "./plan.js";
import { type Repetition, runOnce } from "./run-once.js";
import type { RowSpec } from "./scenarios.js";
import { type RowResult, summarize } from "./summary.js";

/** Runs one row: an optional untimed warm-up, then `repeats` timed repetitions, each a new run. */
export async function runRow(
  scenario: string,
  spec: RowSpec,
  repo: string,
  opts: { repeats: number; warmup: boolean; onRepetition?: (i: number, r: Repetition) => void },
): Promise<RowResult> {
  const plan = benchPlan(spec.tasks);
  if (opts.warmup) await runOnce(repo, plan, spec.workers, spec.durationMs);
  const reps: Repetition[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    const rep = await runOnce(repo, plan, spec.workers, spec.durationMs);
    reps.push(rep);
    opts.onRepetition?.(i, rep);
  }
  return summarize(scenario, spec, reps, opts.warmup);
}
