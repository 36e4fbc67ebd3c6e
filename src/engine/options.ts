import { z } from "zod";

/** A run's options: one schema gives the type, the validation and the defaults. */
export const RunOptionsSchema = z.object({
  /**
   * The run's agent preset. No default: a run whose tasks do not all name one (`**Agent:**`) is refused
   * rather than given the offline scripted agent by surprise (issue 21).
   */
  agent: z.string().min(1).optional(),
  /** argv template for the `command` agent. */
  agentCommand: z.string().optional(),
  /** `sandbox`: parallel, each agent, setup and verification command confined by bubblewrap (src/agent/sandbox). */
  mode: z.enum(["local", "parallel", "sandbox"]).default("parallel"),
  /** `sandbox` mode: hosts (`host`, `host:port`, `*.domain`) reachable besides the agents' model APIs. */
  allowHosts: z.array(z.string()).default([]),
  workers: z.number().int().min(1).max(256).default(3),
  /**
   * Pooled worktrees; more than workers so that slot resets overlap running agents and a worker can
   * start its next agent while its last result is committed. 0 = workers + min(workers, 4).
   */
  slots: z.number().int().min(0).max(512).default(0),
  maxAttempts: z.number().int().min(1).max(20).default(2),
  timeoutS: z.number().positive().default(1800),
  idleTimeoutS: z.number().positive().default(300),
  verifyTimeoutS: z.number().positive().default(600),
  /** Each agent log keeps at most this many MiB of output: its head and its tail, and what was dropped. */
  logMaxMib: z.number().positive().default(10),
  /**
   * A shell line run in each slot after its hand-off and before the agent (`npm install`, a build):
   * ignored files it makes stay warm in the slot for the next task. A failure fails the attempt.
   */
  setup: z.string().trim().min(1).optional(),
  /** Shell lines run in the slot after every task's own verification commands; a failure fails the attempt. */
  verify: z.array(z.string().trim().min(1)).default([]),
  onConflict: z.enum(["retry", "fail"]).default("retry"),
  maxConflictRetries: z.number().int().min(0).max(10).default(2),
  /**
   * Orchard's task commits and landing merges run the repository's pre-commit, commit-msg and
   * pre-merge-commit hooks. Off by default: the verification commands are the run's checks, and a hook
   * could wait for input, be slow, or rewrite files already verified. Other hooks (prepare-commit-msg,
   * post-commit, reference-transaction) run as git runs them either way.
   */
  commitHooks: z.boolean().default(false),
  /** Tasks of one batch that declare the same file do not run at the same time. */
  fileGuard: z.boolean().default(true),
  /** Flat plans: run tasks at the same time except where their files say otherwise. */
  parallel: z.boolean().default(false),
  startBatch: z.number().int().min(1).optional(),
  endBatch: z.number().int().min(1).optional(),
  /** Branch to fast-forward to the integration result at the end, if it has not moved. */
  into: z.string().optional(),
  leaseMs: z.number().int().min(200).default(30_000),
  maxCostUsd: z.number().positive().optional(),
  /** Per-attempt budget passed to CLIs that support one. */
  attemptBudgetUsd: z.number().positive().optional(),
  model: z.string().optional(),
  /** Extra argv for the agent CLI (e.g. allowed tools). */
  agentArgs: z.array(z.string()).default([]),
  /**
   * How finished work reaches people: `merge` (the integration branch), `pr` (a pull request per task),
   * `run-pr` (one pull request for the integration branch). The last two also merge locally first, in plan
   * order, so conflicts between tasks are found and retried before anything reaches GitHub.
   */
  land: z.enum(["merge", "pr", "run-pr"]).default("merge"),
  /** Merge the pull requests on GitHub (once mergeable and checks pass) with this method; unset = leave open. */
  mergeMethod: z.enum(["squash", "merge", "rebase"]).optional(),
  /** The git remote that is the GitHub repository. */
  githubRemote: z.string().min(1).default("origin"),
  /** GitHub Enterprise: `https://<host>/api/v3`. */
  githubApiUrl: z.string().url().optional(),
  /** The branch pull requests go into; default `into`, else the branch checked out when the run started. */
  prBase: z.string().min(1).optional(),
  prLabels: z.array(z.string().min(1)).default(["orchard"]),
  /** How long to wait for a pull request's mergeability and required checks. */
  prMergeTimeoutS: z.number().positive().default(1800),
  /** How long to wait before retrying a rate-limited attempt when the CLI does not say. */
  rateLimitBackoffS: z.number().positive().default(30),
  /** Rate-limit back-offs per task before the task fails. */
  maxRateLimitRetries: z.number().int().min(0).max(20).default(5),
});

export type RunOptions = z.infer<typeof RunOptionsSchema>;
export type RunOptionsInput = z.input<typeof RunOptionsSchema>;

export function normalizeOptions(input: RunOptionsInput): RunOptions {
  const opts = RunOptionsSchema.parse(input);
  if (opts.agentCommand && !opts.agent) opts.agent = "command";
  if (opts.mode === "local") opts.workers = 1;
  // Two a worker: a finished task keeps its slot while it commits and the slot is reset, and its worker's
  // next agent wants one meanwhile. Past warmSlots they are made only when every slot is taken, and only
  // where a worktree is quick to make next to a reset (WorktreePool's eagerSlots:
  // short tasks finishing together, 500 × 16 × 50 ms, waited 42 ms at p50 for a slot with 20 on a small
  // repository; on a large one a new worktree costs more than the wait, docs/benchmarks.md).
  if (opts.slots === 0) opts.slots = 2 * opts.workers;
  if (opts.slots < opts.workers) opts.slots = opts.workers;
  return opts;
}

/**
 * The slots a run makes ready before its first claim: one a worker and up to four spare. An acquirer that
 * finds all of them taken waits for one to be reset rather than for a new one to be made.
 */
export function warmSlots(opts: Pick<RunOptions, "slots" | "workers">): number {
  return Math.min(opts.slots, opts.workers + Math.min(4, opts.workers));
}
