import { EventBus, openRepoStore, startRun } from "../engine/index.js";
import type { Plan } from "../plan/types.js";
import { sleepAgentCommand } from "./agent.js";
import { emptyPhases, type PhaseSamples } from "./phases.js";

/** One run of a plan through the engine, timed from the `startRun` call. */
export interface Repetition {
  status: string;
  tasks: number;
  /** Attempts the store recorded: an attempt is one execution of the agent. */
  executions: number;
  /** Until the last task's attempt result was recorded (agent done, verified, committed, reported). */
  completedMs: number;
  /** Until the last task was merged into the integration branch. */
  landedMs: number;
  /** Until `done` resolved (the run's final bookkeeping included). */
  finishedMs: number;
  phases: PhaseSamples;
}

/**
 * Runs `plan` once on `repo` with the sleep agent, `workers` workers and the engine's default slot
 * count, in this process. Times come from this process's monotonic clock, read in event listeners
 * (which the engine calls synchronously at the moment it records the step).
 */
export async function runOnce(
  repo: string,
  plan: Plan,
  workers: number,
  durationMs: number,
): Promise<Repetition> {
  const store = await openRepoStore(repo);
  const bus = new EventBus();
  let lastCompleted = 0;
  let lastLanded = 0;
  const merges: number[] = [];
  const t0 = performance.now();
  bus.on((e) => {
    if (e.type === "task:completed") lastCompleted = performance.now();
    else if (e.type === "task:landed") {
      lastLanded = performance.now();
      if (e.mergeMs !== undefined) merges.push(e.mergeMs);
    }
  });
  try {
    const handle = await startRun(
      {
        repo,
        plan,
        options: { agent: "command", agentCommand: sleepAgentCommand(durationMs), workers, maxAttempts: 1 },
      },
      { store, bus },
    );
    const result = await handle.done;
    const finishedMs = performance.now() - t0;
    const attempts = await store.listAttempts(result.runId);
    const phases = emptyPhases();
    phases.merge = merges;
    for (const a of attempts) {
      const t = a.timings ?? {};
      push(phases.lane, t.laneMs);
      push(phases.claim, t.claimMs);
      push(phases.handoff, t.handoffMs);
      push(phases.spawn, t.spawnMs);
      push(phases.agent, t.agentMs);
      push(phases.verify, t.verifyMs);
      push(phases.commit, t.commitMs);
      if (t.claimMs !== undefined && t.handoffMs !== undefined && t.spawnMs !== undefined) {
        phases.critical.push(t.claimMs + t.handoffMs + t.spawnMs);
      }
    }
    return {
      status: result.status,
      tasks: plan.tasks.length,
      executions: attempts.length,
      completedMs: lastCompleted > 0 ? lastCompleted - t0 : Number.NaN,
      landedMs: lastLanded > 0 ? lastLanded - t0 : Number.NaN,
      finishedMs,
      phases,
    };
  } finally {
    await store.close();
  }
}

function push(list: number[], value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) list.push(value);
}
