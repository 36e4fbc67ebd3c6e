import { runAgentFloor } from "./floor.js";
import { benchPlan } from "./plan.js";
import { type Repetition, runOnce } from "./run-once.js";
import type { RowSpec } from "./scenarios.js";
import { type RowResult, summarize } from "./summary.js";

/**
 * Runs one row: an optional untimed warm-up, then `repeats` timed repetitions, each a new run, each
 * followed by one run of the agent floor (floor.ts), so that the two share the machine's load.
 */
export async function runRow(
  scenario: string,
  spec: RowSpec,
  repo: string,
  opts: { repeats: number; warmup: boolean; onRepetition?: (i: number, r: Repetition) => void },
): Promise<RowResult> {
  const plan = benchPlan(spec.tasks);
  const floor = async () => (await runAgentFloor(spec.tasks, spec.workers, spec.durationMs)).makespanMs;
  if (opts.warmup) {
    await runOnce(repo, plan, spec.workers, spec.durationMs);
    await floor();
  }
  const reps: Repetition[] = [];
  const floors: number[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    const rep = await runOnce(repo, plan, spec.workers, spec.durationMs);
    reps.push(rep);
    floors.push(await floor());
    opts.onRepetition?.(i, rep);
  }
  return summarize(scenario, spec, reps, opts.warmup, floors);
}
