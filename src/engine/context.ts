import type { Sandbox } from "../agent/index.js";
import type { AgentPreset } from "../agent/types.js";
import type { Git, LandingWorktree, WorktreePool } from "../git/index.js";
import type { PlanGraph } from "../plan/graph.js";
import type { Plan, PlanTask } from "../plan/types.js";
import type { RunId, Store } from "../store/types.js";
import type { EventBus } from "./events.js";
import type { RunOptions } from "./options.js";
import type { Wake } from "./wake.js";

/** What every part of one run's execution in this process shares. */
export interface RunContext {
  runId: RunId;
  repo: string;
  plan: Plan;
  options: RunOptions;
  store: Store;
  git: Git;
  pool: WorktreePool;
  /** The run's landing worktree (removed when the run ends). */
  landing: LandingWorktree;
  bus: EventBus;
  graph: PlanGraph;
  tasks: ReadonlyMap<string, PlanTask>;
  /** Tasks skipped at creation (completed in the plan, outside the batch range): they count as done. */
  presatisfied: ReadonlySet<string>;
  landingOrder: readonly string[];
  /**
   * Resolves once the integration branch exists. A new run creates it next to its first agents (it is
   * needed only by the first merge), once the run's stale ref locks are cleared.
   */
  integrationReady: Promise<void>;
  /** `<state dir>/runs/<run-id>` (git's stateDir): prompts and logs. */
  runDir: string;
  /** Agent logs still being written out and closed; the run waits for them before it ends. */
  logsClosing: Set<Promise<void>>;
  /** Identifies this process as a lock owner. */
  owner: string;
  /** Wakes idle workers when tasks are queued. */
  workWake: Wake;
  /** Asks the coordinator to look at the run again (an attempt ended, a task landed). */
  kick: () => void;
  /** Aborted to kill every running agent (cancel, second Ctrl-C). */
  killSignal: AbortSignal;
  /** Set when workers must stop claiming (run over, Ctrl-C, spend limit). */
  stopClaiming: { value: boolean; reason: string | null };
  resolvePreset: (task: PlanTask) => AgentPreset;
  /** `--mode sandbox`: confines every agent, setup and verification command to its slot. */
  sandbox?: Sandbox;
  spend: { usd: number };
  claimable: Claimable;
}

/**
 * Tasks this process saw queued (or requeued for a retry) and no worker here has claimed yet. Only a
 * hint, for what waits until nothing is left to claim (a slot's reset, a commit held for the worker's next agent): work another process queued or claimed makes it wrong on
 * the safe sides (reset now; or later, when a slot is wanted).
 */
export class Claimable {
  #count = 0;

  queued(): void {
    this.#count++;
  }

  claimed(): void {
    this.#count--;
  }

  /** Nothing left to claim, as far as this process knows. */
  get none(): boolean {
    return this.#count <= 0;
  }
}
