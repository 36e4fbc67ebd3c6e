/** Per-task phase times (ms) of one attempt, as the engine recorded them. */
export interface PhaseSamples {
  /** A free worker waiting for the workers ahead to claim and launch theirs (the start lane, engine/execute.ts). */
  lane: number[];
  claim: number[];
  handoff: number[];
  spawn: number[];
  agent: number[];
  verify: number[];
  commit: number[];
  merge: number[];
  /** claim + slot hand-off + agent spawn: the engine's own time on a task's critical path before work starts. */
  critical: number[];
}

export const emptyPhases = (): PhaseSamples => ({
  lane: [],
  claim: [],
  handoff: [],
  spawn: [],
  agent: [],
  verify: [],
  commit: [],
  merge: [],
  critical: [],
});
