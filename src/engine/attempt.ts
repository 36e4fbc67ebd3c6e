import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPrompt, runAgent, slotEnv } from "../agent/index.js";
import type { AgentRunResult } from "../agent/types.js";
import { commitAll, type Slot, setRef } from "../git/index.js";
import type { AttemptOutcome, AttemptTimings, Claim } from "../store/types.js";
import type { RunContext } from "./context.js";
import { headsRef, taskBranch } from "./refs.js";
import { verify } from "./verifier.js";

export interface AttemptHooks {
  /**
   * Called once the agent and the verification are over (or the attempt ended before): the worker may
   * claim its next task then, while this attempt commits and reports from its own slot.
   */
  onAgentDone?: () => void;
  /**
   * Lets the next worker claim (the start lane, execute.ts): called when this attempt waits for a slot or for git to
   * make or move one, as its own processes are about to start (setup, then the agent), or as it ends.
   */
  releaseLane?: () => void;
  /** Called once the agent's process has started, or the attempt ended without starting one. */
  onAgentStarted?: () => void;
  /** The commit waits for it (execute.ts: the worker's next agent starts first). */
  commitGate?: Promise<void>;
}

/**
 * One attempt at a claimed task: slot hand-off → agent → verification → commit → fenced report.
 * Every way it can end is recorded; nothing here throws past the worker.
 */
export async function runAttempt(
  ctx: RunContext,
  claim: Claim,
  before: Pick<AttemptTimings, "laneMs" | "claimMs">,
  hooks: AttemptHooks = {},
): Promise<void> {
  const onAgentDone = hooks.onAgentDone ?? (() => {});
  const { store, bus, runId } = ctx;
  const taskId = claim.task.taskId;
  const task = ctx.tasks.get(taskId);
  const timings: AttemptTimings = { ...before };
  const attemptDir = join(ctx.runDir, "tasks", taskId, `attempt-${claim.attempt}`);
  const logPath = join(attemptDir, "agent.log");
  const killed = new AbortController();
  const onKill = () => killed.abort();
  ctx.killSignal.addEventListener("abort", onKill, { once: true });
  let lostLease = false;
  const renew = setInterval(
    () => {
      store.renewLease(claim, ctx.options.leaseMs).then(
        (ok) => {
          if (!ok) {
            lostLease = true;
            killed.abort();
          }
        },
        () => {},
      );
    },
    Math.max(100, Math.floor(ctx.options.leaseMs / 3)),
  );

  let slot: Slot | undefined;
  const finish = async (outcome: AttemptOutcome) => {
    const accepted = await store.finishAttempt(claim, outcome);
    if (!accepted) bus.emit({ type: "attempt:fenced", runId, taskId, attempt: claim.attempt });
    return accepted;
  };
  const fail = (
    reason: string,
    extra: Partial<Extract<AttemptOutcome, { kind: "failed" }>> = {},
    rateLimited = false,
  ) => {
    const willRetry =
      extra.retryable !== false && (claim.attempt < claim.task.maxAttempts || !!extra.freeRetry);
    bus.emit({
      type: "task:attempt-failed",
      runId,
      taskId,
      attempt: claim.attempt,
      reason,
      willRetry,
      rateLimited,
    });
    return finish({ kind: "failed", reason, retryable: true, exitCode: null, logPath, timings, ...extra });
  };

  try {
    if (!task) return void (await fail(`task ${taskId} is not in the run's plan`, { retryable: false }));
    const base = claim.task.baseCommit;
    if (!base) return void (await fail("task was claimed without a base commit", { retryable: false }));

    const handoffStart = performance.now();
    try {
      slot = await ctx.pool.acquire(
        base,
        taskBranch(runId, taskId),
        hooks.releaseLane ? { onWait: hooks.releaseLane } : {},
      );
    } catch (err) {
      return void (await fail(`could not prepare a worktree: ${(err as Error).message}`));
    }
    timings.handoffMs = roundMs(performance.now() - handoffStart);
    bus.emit({ type: "slot:acquired", runId, slot: slot.id, taskId, handoffMs: timings.handoffMs });
    bus.emit({
      type: "task:started",
      runId,
      taskId,
      attempt: claim.attempt,
      slot: slot.id,
      workerId: claim.workerId,
    });

    // Small files on the way to the agent's start: written synchronously, no thread-pool round trips.
    mkdirSync(attemptDir, { recursive: true });
    const env = slotEnv({ runId, taskId, slotId: slot.id, portBase: slot.portBase });
    const prompt = buildPrompt({
      plan: ctx.plan,
      task,
      slotDir: slot.dir,
      conflictNote: claim.task.conflictNote,
    });
    const promptFile = join(attemptDir, "prompt.md");
    const taskFile = join(attemptDir, "task.json");
    writeFileSync(taskFile, JSON.stringify(task));
    void store.updateAttempt(claim, { slotId: slot.id, logPath }).catch(() => {});

    // Shell lines of the run (setup) and of the plan (verification), run in the slot, one log each.
    const dir = slot.dir;
    const preset = ctx.resolvePreset(task);
    const confine = ctx.sandbox?.forSlot({ slotDir: dir, attemptDir, preset });
    const inSlot = async (commands: readonly string[], log: string) => {
      const ran = await verify(commands, {
        cwd: dir,
        env,
        timeoutMs: ctx.options.verifyTimeoutS * 1000,
        logPath: join(attemptDir, log),
        signal: killed.signal,
        ...(confine ? { confine } : {}),
      });
      return ran;
    };

    hooks.releaseLane?.();
    if (ctx.options.setup) {
      const setup = await inSlot([ctx.options.setup], "setup.log");
      timings.setupMs = setup.durationMs;
      if (!setup.ok) {
        if (lostLease) return void (await fail("lease lost: another worker took the task over"));
        // Killed by cancel or shutdown, like an agent: the attempt does not count against the task.
        if (killed.signal.aborted) return void (await fail("interrupted", { freeRetry: true }));
        return void (await fail(`setup failed: \`${setup.failure!.command}\` ${setup.failure!.reason}`));
      }
    }

    const result: AgentRunResult = await runAgent(
      preset,
      {
        runId,
        taskId,
        slotDir: slot.dir,
        prompt,
        promptFile,
        taskFile,
        env,
        model: ctx.options.model,
        budgetUsd: ctx.options.attemptBudgetUsd,
        extraArgs: ctx.options.agentArgs,
      },
      {
        timeoutMs: ctx.options.timeoutS * 1000,
        idleTimeoutMs: ctx.options.idleTimeoutS * 1000,
        logPath,
        logMaxBytes: Math.round((ctx.options.logMaxMib ?? 10) * 1024 * 1024),
        signal: killed.signal,
        ...(confine ? { confine } : {}),
        ...(hooks.onAgentStarted ? { onSpawn: hooks.onAgentStarted } : {}),
        // The commit need not wait for the log's last write: the run does, before it ends.
        logClosed: (closing) => {
          ctx.logsClosing.add(closing);
          void closing.then(() => ctx.logsClosing.delete(closing));
        },
      },
    );
    timings.spawnMs = result.process.spawnMs;
    timings.agentMs = result.process.durationMs;
    const usage = result.report.usage;
    if (usage.costUsd) ctx.spend.usd += usage.costUsd;

    if (!result.ok) {
      if (lostLease) return void (await fail("lease lost: another worker took the task over"));
      if (result.process.aborted) {
        // Killed by cancel or shutdown: the attempt does not count against the task.
        return void (await fail("interrupted", {
          usage,
          exitCode: result.process.exitCode,
          freeRetry: true,
        }));
      }
      if (result.report.notRetryable) {
        // A wrong key or a missing login fails every attempt the same way: this one is recorded, the
        // task is handed back (it is not the task's failure), and the run starts nothing more until the
        // operator fixes it and resumes.
        const why = `${result.report.notRetryable} error, retrying cannot fix it: ${result.reason ?? "the agent failed"}`;
        if (!ctx.stopClaiming.value) {
          ctx.stopClaiming = {
            value: true,
            reason: `the ${preset.name} agent failed with an ${why}; fix it, then \`orchard resume ${runId}\``,
          };
        }
        ctx.kick();
        return void (await fail(why, { usage, exitCode: result.process.exitCode, freeRetry: true }));
      }
      if (result.report.rateLimited) {
        const wait = result.report.retryAfterMs ?? ctx.options.rateLimitBackoffS * 1000;
        // Counted from the attempts themselves: interruptions also hand attempts back (requeue.ts).
        const backoffsSoFar = (await store.listAttempts(runId, taskId)).filter(
          (a) => a.attempt !== claim.attempt && a.reason?.startsWith("rate limited"),
        ).length;
        const freeRetry = backoffsSoFar < ctx.options.maxRateLimitRetries;
        return void (await fail(
          `rate limited: ${result.reason ?? "the model is overloaded"}`,
          {
            usage,
            exitCode: result.process.exitCode,
            notBefore: Date.now() + wait,
            freeRetry,
          },
          true,
        ));
      }
      return void (await fail(result.reason ?? "the agent failed", {
        usage,
        exitCode: result.process.exitCode,
        signal: result.process.signal,
      }));
    }

    // The plan's commands for this task, then the run's for every task (orchard.config.json's "verify").
    const commands = [...task.verification.commands, ...ctx.options.verify];
    if (commands.length > 0) {
      bus.emit({ type: "task:verifying", runId, taskId, attempt: claim.attempt, commands: commands.length });
      const verdict = await inSlot(commands, "verify.log");
      timings.verifyMs = verdict.durationMs;
      if (!verdict.ok) {
        const f = verdict.failure!;
        return void (await fail(`verification failed: \`${f.command}\` ${f.reason}`, { usage, exitCode: 0 }));
      }
    }

    onAgentDone();
    if (hooks.commitGate) await hooks.commitGate;
    const commitStart = performance.now();
    let committed = await commitAll(ctx.git, slot, commitMessage(task), {
      since: base,
      hooks: ctx.options.commitHooks,
    });
    timings.commitMs = roundMs(performance.now() - commitStart);
    // An agent that moved its branch below the base (`git reset --hard HEAD~1`) left a result that
    // lands as nothing, or as a revert nobody asked for: the attempt fails, saying so (issue 20 item 6).
    const below = committed.commit !== null && !committed.descends;
    if (below && !task.allowNoChanges) {
      return void (await fail(
        `the task's branch no longer descends from its base ${base.slice(0, 12)} (the agent moved it below the base, e.g. with git reset); nothing to land`,
        { usage, exitCode: 0 },
      ));
    }
    if (below) committed = { ...committed, commit: null, changed: false };
    if (!committed.changed && !task.allowNoChanges) {
      return void (await fail(
        "the agent changed nothing (mark the task's files as Read if that is expected)",
        {
          usage,
          exitCode: 0,
        },
      ));
    }
    if (lostLease) return void (await fail("lease lost: another worker took the task over"));
    // The task branch holds the result, as the integrator's merge and the user read it: an agent that
    // left it (a branch of its own, a detached HEAD) and committed there moved HEAD, not the branch.
    if (committed.changed && committed.commit) await setRef(ctx.git, headsRef(slot.branch), committed.commit);
    const accepted = await finish({
      kind: "succeeded",
      resultCommit: committed.changed ? committed.commit : null,
      exitCode: result.process.exitCode,
      logPath,
      usage,
      timings,
    });
    if (accepted) {
      bus.emit({
        type: "task:completed",
        runId,
        taskId,
        attempt: claim.attempt,
        commit: committed.changed ? committed.commit : null,
        usage,
      });
    }
  } catch (err) {
    await fail(`internal error: ${(err as Error).message}`).catch(() => {});
  } finally {
    hooks.releaseLane?.();
    hooks.onAgentStarted?.();
    clearInterval(renew);
    ctx.killSignal.removeEventListener("abort", onKill);
    // With nothing left to claim, the slot's reset waits until a slot is wanted or the run ends.
    if (slot) ctx.pool.release(slot, { defer: ctx.claimable.none });
    ctx.kick();
  }
}

function commitMessage(task: { id: string; title: string; commit?: string }): string {
  const subject = task.commit?.trim() || `Task ${task.id}: ${task.title}`;
  return `${subject}\n\nOrchard-Task: ${task.id}\n`;
}

/** Milliseconds to two decimals, as attempt timings are kept. */
export const roundMs = (ms: number) => Math.round(ms * 100) / 100;
