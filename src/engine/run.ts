import { setMaxListeners } from "node:events";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { assertAgentsInstalled, getPreset } from "../agent/index.js";
import type { AgentPreset } from "../agent/types.js";
import { OrchardError } from "../errors.js";
import {
  ensureRepo,
  Git,
  LandingWorktree,
  resolveBase,
  stateDir,
  tryRevParse,
  updateRef,
  WorktreePool,
} from "../git/index.js";
import { planGraph } from "../plan/index.js";
import type { Plan, PlanTask } from "../plan/types.js";
import {
  isFinalRun,
  isFinalTask,
  type NewRun,
  type RunId,
  type RunStatus,
  type Store,
  type TaskRecord,
} from "../store/types.js";
import { assertBatchRange, presatisfiedTasks } from "./batch-range.js";
import { Claimable, type RunContext } from "./context.js";
import { reopenCancelled } from "./control.js";
import { EventBus, persistEvents } from "./events.js";
import { type ExecuteControls, execute } from "./execute.js";
import { assertOrchardPrefixFree, restoreIntegrationBranch } from "./integration-ref.js";
import { fastForwardInto } from "./into.js";
import { assertNotLive } from "./liveness.js";
import { normalizeOptions, type RunOptions, type RunOptionsInput, warmSlots } from "./options.js";
import type { ForgeTarget, PublishedPull } from "./publish.js";
import { headsRef, integrationBranch, newRunId } from "./refs.js";
import { loadRun, openRepoStore } from "./repo-store.js";
import { acquireRunLease, type RunLease, releaseDeadLock } from "./run-lease.js";
import { assertSandboxReady, runSandbox } from "./sandbox.js";
import { landingOrder } from "./scheduler.js";
import { assertResumable, optionsForStore } from "./stored-options.js";
import { Wake } from "./wake.js";

export interface RunResult {
  runId: RunId;
  status: RunStatus;
  reason: string | null;
  integrationBranch: string;
  integrationHead: string | null;
  tasks: TaskRecord[];
  durationMs: number;
  /** Set when `--into` was asked for: what happened to that branch. */
  into?: { branch: string; updated: boolean; message: string };
  /** `--land pr|run-pr`: the pull requests, in landing order. */
  pulls?: PublishedPull[];
}

export interface RunHandle {
  runId: RunId;
  bus: EventBus;
  done: Promise<RunResult>;
  /** First Ctrl-C: stop claiming, let running attempts finish; the run stays resumable. */
  stop(reason?: string): void;
  /** Second Ctrl-C: kill running agents too. */
  kill(): void;
}

export interface EngineDeps {
  /** A store to use instead of the repository's SQLite file (tests, PostgreSQL). Not closed by the engine. */
  store?: Store;
  bus?: EventBus;
  /** Slot pool directory (default `<git common dir>/orchard/worktrees`, git's stateDir). */
  poolDir?: string;
}

export { loadRun, openRepoStore };

/** Creates a run for a plan and starts executing it in this process. */
export async function startRun(
  input: { repo: string; plan: Plan; planPath?: string | null; options?: RunOptionsInput; base?: string },
  deps: EngineDeps = {},
): Promise<RunHandle> {
  const options = normalizeOptions(input.options ?? {});
  assertBatchRange(input.plan, options);
  const presatisfied = presatisfiedTasks(input.plan, options);
  const toRun = input.plan.tasks.filter((t) => !presatisfied.has(t.id));
  const presets = resolvePresets(input.plan, options, toRun);
  await assertAgentsInstalled(toRun.map(presets));
  await assertSandboxReady(options);
  // Each git process costs milliseconds on the way to the first agent: what can overlap, does.
  const baseName = input.base ?? "HEAD";
  const [repo, baseCommit] = await Promise.all([
    ensureRepo(input.repo),
    resolveBase(new Git(input.repo), baseName).catch(async () => {
      await ensureRepo(input.repo); // not a repository at all: that error says more
      throw await unresolvedBase(new Git(input.repo), input.repo, input.base);
    }),
  ]);
  const git = new Git(repo);
  await assertOrchardPrefixFree(git);
  const forge = await forgeFor(git, options);
  const store = deps.store ?? (await openRepoStore(repo));
  const runId = newRunId();
  const branch = integrationBranch(runId);
  // Taken before the run exists, so that a clean starting now either sees it or is seen (run-lease.ts).
  const lease = await acquireRunLease(store, runId, repo, options.leaseMs).catch(async (err) => {
    if (!deps.store) await store.close();
    throw err;
  });
  const record: NewRun = {
    id: runId,
    repo,
    planPath: input.planPath ?? input.plan.source ?? null,
    planJson: JSON.stringify(input.plan),
    optionsJson: optionsForStore(options),
    baseCommit,
    integrationBranch: branch,
    batches: input.plan.batches.map((b) => ({
      batchId: b.id,
      index: b.index,
      title: b.title,
      dependsOn: [...b.dependsOn],
    })),
    tasks: input.plan.tasks.map((t) => {
      const skip = presatisfied.get(t.id);
      return {
        taskId: t.id,
        batchId: t.batch,
        index: t.index,
        title: t.title,
        maxAttempts: options.maxAttempts,
        status: skip ? "skipped" : "pending",
        ...(skip ? { reason: skip } : {}),
      };
    }),
  };
  try {
    await store.createRun(record);
  } catch (err) {
    await lease.release().catch(() => {});
    if (!deps.store) await store.close();
    throw err;
  }
  return launch({
    forge,
    lease,
    createIntegrationRef: () => updateRef(git, headsRef(branch), baseCommit, null),
    repo,
    git,
    store,
    ownsStore: !deps.store,
    runId,
    plan: input.plan,
    options,
    presets,
    deps,
    resumed: false,
  });
}

/** Continues a run after a crash, Ctrl-C or a spend limit: landed work stays landed, interrupted attempts run again. */
export async function resumeRun(
  input: { repo: string; runId: string; options?: Partial<RunOptionsInput> },
  deps: EngineDeps = {},
): Promise<RunHandle> {
  const repo = await ensureRepo(input.repo);
  const store = deps.store ?? (await openRepoStore(repo));
  const run = await loadRun(store, input.runId);
  // A cancelled run can be resumed: it is re-opened below, once this process holds it.
  if (isFinalRun(run.status) && run.status !== "cancelled") {
    const pending = (await store.listTasks(run.id)).some((t) => t.status === "pending");
    if (!pending) {
      if (!deps.store) await store.close();
      throw new OrchardError(
        "RUN_FINISHED",
        `run ${run.id} already ${run.status}; use \`orchard retry ${run.id} <task>\` to run a task again`,
      );
    }
  }
  const plan = JSON.parse(run.planJson) as Plan;
  const stored = JSON.parse(run.optionsJson) as Partial<RunOptions>;
  try {
    assertResumable(stored, input.options ?? {});
  } catch (err) {
    if (!deps.store) await store.close();
    throw err;
  }
  const options = normalizeOptions({ ...stored, ...(input.options ?? {}) });
  let lease: RunLease | undefined;
  try {
    lease = await acquireRunLease(store, run.id, repo, options.leaseMs);
    await assertNotLive(store, run);
    await releaseDeadLock(store, `integrate:${run.id}`);
    await reopenCancelled(store, run);
    const open = new Set(
      (await store.listTasks(run.id)).filter((t) => !isFinalTask(t.status)).map((t) => t.taskId),
    );
    const toRun = plan.tasks.filter((t) => open.has(t.id));
    await assertAgentsInstalled(toRun.map(resolvePresets(plan, options, toRun)));
    await assertSandboxReady(options);
    const presets = resolvePresets(plan, options, toRun);
    await restoreIntegrationBranch(new Git(repo), run);
    const forge = await forgeFor(new Git(repo), options);
    await store.requeueInterrupted(run.id);
    return await launch({
      forge,
      lease,
      repo,
      git: new Git(repo),
      store,
      ownsStore: !deps.store,
      runId: run.id,
      plan,
      options,
      presets,
      deps,
      resumed: true,
    });
  } catch (err) {
    await lease?.release().catch(() => {});
    if (!deps.store) await store.close();
    throw err;
  }
}

interface LaunchInput {
  /** This process's lease on the run: renewed while it runs, released when it ends. */
  lease: RunLease;
  /** A new run's integration branch; a resumed run has it already (restoreIntegrationBranch). */
  createIntegrationRef?: () => Promise<void>;
  repo: string;
  git: Git;
  store: Store;
  ownsStore: boolean;
  runId: RunId;
  plan: Plan;
  options: RunOptions;
  presets: (task: PlanTask) => AgentPreset;
  deps: EngineDeps;
  /** `--land pr|run-pr`: where pull requests go. */
  forge?: ForgeTarget | null;
  resumed: boolean;
}

async function launch(input: LaunchInput): Promise<RunHandle> {
  const { repo, git, store, runId, plan, options } = input;
  const sandbox = await runSandbox(
    repo,
    options,
    plan.tasks.flatMap((t) => runnablePreset(input.presets, t)),
  );
  const warm = warmSlots(options);
  const pool = new WorktreePool({
    git,
    maxSlots: options.slots,
    eagerSlots: warm,
    ...(input.deps.poolDir ? { dir: input.deps.poolDir } : {}),
  });
  const poolReady = pool.init();
  const bus = input.deps.bus ?? new EventBus();
  const graph = planGraph(plan, { parallel: options.parallel, fileGuard: options.fileGuard });
  const state = await stateDir(git);
  const runDir = join(state, "runs", runId);
  const integrationReady = Promise.resolve(input.createIntegrationRef?.());
  // Awaited by the integrator; a failure shows there (and in `done`), not as an unhandled rejection.
  integrationReady.catch(() => undefined);
  mkdirSync(runDir, { recursive: true });
  await poolReady;
  const persisting = persistEvents(bus, store, runId);
  const killer = new AbortController();
  // Every running attempt listens on it: past 10 workers Node warned of a leak that is not one.
  setMaxListeners(0, killer.signal);
  const coordWake = new Wake();
  const presatisfied = new Set(presatisfiedTasks(plan, options).keys());
  const ctx: RunContext = {
    runId,
    repo,
    plan,
    options,
    store,
    git,
    pool,
    landing: new LandingWorktree(git, join(state, "land", runId)),
    bus,
    graph,
    tasks: new Map(plan.tasks.map((t) => [t.id as string, t])),
    presatisfied,
    integrationReady,
    landingOrder: landingOrder(
      plan.tasks.map((t) => ({ taskId: t.id, index: t.index })),
      graph.edges,
    ),
    runDir,
    logsClosing: new Set(),
    owner: input.lease.owner,
    workWake: new Wake(),
    kick: () => coordWake.notify(),
    killSignal: killer.signal,
    stopClaiming: { value: false, reason: null },
    resolvePreset: input.presets,
    ...(sandbox ? { sandbox } : {}),
    spend: { usd: await spentSoFar(store, runId) },
    claimable: new Claimable(),
  };
  // A task requeued after a conflict is announced as queued; one requeued after a failed attempt is not.
  bus.on((e) => {
    if (e.type === "task:queued" || (e.type === "task:attempt-failed" && e.willRetry)) ctx.claimable.queued();
  });
  let controls: ExecuteControls | undefined;
  const started = Date.now();
  await store.updateRun(runId, { status: "running", startedAt: started, finishedAt: null, reason: null });
  const open = (await store.listTasks(runId)).filter((t) => !isFinalTask(t.status));
  bus.emit({
    type: "run:started",
    runId,
    tasks: open.length,
    workers: options.workers,
    resumed: input.resumed,
  });
  const recorded = (await store.getRun(runId))!;
  // Its checkout is made while the first agents work, off the first landing's path.
  ctx.landing.prepare(recorded.integrationHead ?? recorded.baseCommit);
  await pool.prewarm(
    Math.min(warm, Math.max(1, open.length)),
    recorded.integrationHead ?? recorded.baseCommit,
  );

  // Renewed well within its time limit; lost only when this process stalled past it and another took
  // the run over: then this one stops at once rather than race it.
  const renewing = setInterval(
    () => {
      input.lease.renew().then(
        (held) => {
          if (held) return;
          bus.emit({
            type: "engine:error",
            runId,
            where: "lease",
            message: "another process took the run over",
          });
          ctx.stopClaiming = { value: true, reason: "another process took the run over" };
          controls?.kill();
        },
        () => {},
      );
    },
    Math.max(200, Math.floor(options.leaseMs / 3)),
  );
  const done = (async (): Promise<RunResult> => {
    try {
      let outcome = await execute(
        ctx,
        killer,
        coordWake,
        (c) => {
          controls = c;
        },
        { resumed: input.resumed },
      );
      await integrationReady;
      const final = (await store.getRun(runId))!;
      let into: RunResult["into"];
      if (outcome.status === "succeeded" && options.into) {
        into = await fastForwardInto(git, options.into, final);
      }
      let pulls: PublishedPull[] | undefined;
      if (input.forge && (outcome.status === "succeeded" || outcome.status === "failed")) {
        try {
          pulls = await (await import("./publish.js")).publishRun(ctx, input.forge, final);
        } catch (error) {
          // Interrupted, not failed: the work is landed locally and `orchard resume` publishes again,
          // finding the pull requests already opened (publish.ts never opens one twice).
          const message = `landing on GitHub failed: ${error instanceof Error ? error.message : String(error)}; \`orchard resume ${runId}\` tries again`;
          bus.emit({ type: "engine:error", runId, where: "forge", message });
          outcome = { status: "interrupted", reason: message };
        }
      }
      const finishedAt = Date.now();
      await store.updateRun(runId, {
        status: outcome.status,
        reason: outcome.reason,
        finishedAt: outcome.status === "interrupted" ? null : finishedAt,
      });
      bus.emit({
        type: "run:finished",
        runId,
        status: outcome.status,
        reason: outcome.reason,
        durationMs: finishedAt - started,
      });
      return {
        runId,
        status: outcome.status,
        reason: outcome.reason,
        integrationBranch: final.integrationBranch,
        integrationHead: final.integrationHead ?? final.baseCommit,
        tasks: await store.listTasks(runId),
        durationMs: finishedAt - started,
        ...(into ? { into } : {}),
        ...(pulls ? { pulls } : {}),
      };
    } finally {
      await ctx.landing.close();
      await Promise.all(ctx.logsClosing);
      await pool.settled();
      pool.releaseDir();
      await persisting.flush();
      clearInterval(renewing);
      await input.lease.release().catch(() => {});
      if (input.ownsStore) await store.close();
      await sandbox?.close();
    }
  })();

  return {
    runId,
    bus,
    done,
    stop: (reason = "interrupted by the user") => controls?.stop(reason),
    kill: () => controls?.kill(),
  };
}

/** Why the base did not resolve: a repository with no commit yet, or a --base that names nothing. */
async function unresolvedBase(git: Git, repo: string, base: string | undefined): Promise<OrchardError> {
  const head = await tryRevParse(git, "HEAD").catch(() => null);
  if (base === undefined || head === null) {
    return new OrchardError(
      "REPO_INVALID",
      `${repo} has no commit yet: commit something first (the run starts from ${base ?? "HEAD"})`,
    );
  }
  return new OrchardError(
    "USAGE",
    `--base ${base}: no such commit, branch or tag in ${repo} (\`git branch -a\` and \`git log\` show what there is)`,
  );
}

/**
 * Each task's agent preset: the task's own (`**Agent:**`), else the run's. Refuses a run in which a task
 * that will run has neither: the offline scripted agent is chosen by name, never by default.
 */
/** The task's preset; none for a task that will not run (done already, outside the batch range, no agent named). */
function runnablePreset(presets: (task: PlanTask) => AgentPreset, task: PlanTask): AgentPreset[] {
  try {
    return [presets(task)];
  } catch {
    return [];
  }
}

function resolvePresets(
  plan: Plan,
  options: RunOptions,
  toRun: readonly PlanTask[],
): (task: PlanTask) => AgentPreset {
  const unnamed = options.agent ? [] : toRun.filter((t) => !t.agent).map((t) => t.id as string);
  if (unnamed.length > 0) {
    throw new OrchardError(
      "AGENT_UNKNOWN",
      `no agent named for task${unnamed.length > 1 ? "s" : ""} ${unnamed.slice(0, 5).join(", ")}${unnamed.length > 5 ? ", …" : ""}: pass --agent <name> (claude, codex, gemini, aider, opencode; scripted is the offline demo agent), --agent-command "<argv>", "agent" in orchard.config.json, or \`**Agent:** <name>\` on each task`,
      { agentMissing: true, tasks: unnamed },
    );
  }
  const cache = new Map<string, AgentPreset>();
  const get = (name: string) => {
    let preset = cache.get(name);
    if (!preset) {
      preset = getPreset(name, options.agentCommand ? { command: options.agentCommand } : {});
      cache.set(name, preset);
    }
    return preset;
  };
  if (options.agent) get(options.agent);
  for (const t of plan.tasks) if (t.agent) get(t.agent);
  return (task) => {
    const name = task.agent ?? options.agent;
    if (!name) throw new OrchardError("AGENT_UNKNOWN", `no agent named for task ${task.id}`);
    return get(name);
  };
}

async function spentSoFar(store: Store, runId: RunId): Promise<number> {
  let usd = 0;
  for (const a of await store.listAttempts(runId)) usd += a.usage?.costUsd ?? 0;
  return usd;
}

/** GitHub (Octokit and its plugins) is loaded only by runs that land with pull requests. */
async function forgeFor(git: Git, options: RunOptions): Promise<ForgeTarget | null> {
  if (options.land === "merge") return null;
  return (await import("./publish.js")).prepareForge(git, options);
}
