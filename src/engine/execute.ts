import { hostname } from "node:os";
import { Mutex } from "async-mutex";
import { isFinalTask, type RunStatus, type WorkerId } from "../store/types.js";
import { roundMs, runAttempt } from "./attempt.js";
import { CommitGate } from "./commit-gate.js";
import type { RunContext } from "./context.js";
import { advance, type Verdict } from "./coordinator.js";
import type { Wake } from "./wake.js";

const TICK_MS = 200;
const MAX_COORDINATOR_FAILURES = 5;
const IDLE_CLAIM_WAIT_MS = 250;
/** The longest a finished attempt's commit waits for its worker's next agent to start (below). */
const COMMIT_GATE_MAX_MS = 50;

export interface ExecuteControls {
  /** Stop claiming; running attempts finish (first Ctrl-C). */
  stop(reason: string): void;
  /** Kill running agents (second Ctrl-C, cancel). */
  kill(): void;
}

export interface ExecuteResult {
  status: RunStatus;
  reason: string | null;
}

/**
 * Drives one run in this process: N workers claim and run attempts while a coordinator lands work,
 * queues what became ready, and watches for cancellation, until every task is final or the run is stopped.
 */
export async function execute(
  ctx: RunContext,
  killer: AbortController,
  coordWake: Wake,
  controls: (c: ExecuteControls) => void,
  opts: { resumed?: boolean } = {},
): Promise<ExecuteResult> {
  const { store, runId, options } = ctx;
  let inFlight = 0;
  let done = false;
  controls({
    stop(reason) {
      if (!ctx.stopClaiming.value) ctx.stopClaiming = { value: true, reason };
      ctx.workWake.notify();
      coordWake.notify();
    },
    kill() {
      ctx.stopClaiming = { value: true, reason: ctx.stopClaiming.reason ?? "killed" };
      killer.abort();
      ctx.workWake.notify();
      coordWake.notify();
    },
  });

  const workerIds: WorkerId[] = [];
  for (let i = 1; i <= options.workers; i++) {
    const id = `${ctx.owner}/w${i}` as WorkerId;
    workerIds.push(id);
    const now = Date.now();
    await store.registerWorker({
      id,
      runId,
      host: hostname(),
      pid: process.pid,
      startedAt: now,
      heartbeatAt: now,
    });
  }
  const heartbeat = setInterval(
    () => {
      for (const id of workerIds) void store.heartbeatWorker(id).catch(() => {});
    },
    Math.max(200, Math.floor(options.leaseMs / 3)),
  );

  // The start lane: one worker at a time from its claim to its agent's launch. Claims, hand-offs and spawn
  // requests are CPU work on this one thread; workers running them interleaved all finished late together
  // (the fourth of four claims came back after the other three tasks' hand-offs), where one after another
  // each task's agent starts as soon as its own work is done, and the last no later than before. A worker
  // leaves the lane as soon as it would wait on something other than the thread (a slot, git): holding it
  // then kept the others from claiming meanwhile (4–8% slower on 500 × 16, docs/benchmarks.md).
  const lane = new Mutex();
  const workerLoop = async (workerId: WorkerId) => {
    ctx.bus.emit({ type: "worker:started", runId, workerId });
    // The previous attempt, still committing and reporting while this worker's next agent runs: at
    // most one per worker, so a worker never has more than one agent and one commit going.
    let tail: Promise<void> | null = null;
    // The previous attempt's commit waits for this worker's next agent to start (commit-gate.ts).
    let gate: CommitGate | null = null;
    while (!done && !ctx.stopClaiming.value) {
      if (options.maxCostUsd !== undefined && ctx.spend.usd >= options.maxCostUsd) {
        ctx.bus.emit({
          type: "spend:limit-reached",
          runId,
          spentUsd: ctx.spend.usd,
          limitUsd: options.maxCostUsd,
        });
        ctx.stopClaiming = {
          value: true,
          reason: `spend limit of $${options.maxCostUsd} reached ($${ctx.spend.usd.toFixed(4)} spent); resume with a higher --max-cost-usd to go on`,
        };
        coordWake.notify();
        break;
      }
      // The wait for the lane is recorded. Its releaser may be called more than once: only the first counts.
      const queued = performance.now();
      const leave = await lane.acquire();
      if (done || ctx.stopClaiming.value) {
        leave();
        break;
      }
      const started = performance.now();
      const claim = await store.claimTask(runId, workerId, options.leaseMs).catch((err: unknown) => {
        // A busy or briefly unreachable store is not the end of the worker: it tries again shortly.
        ctx.bus.emit({ type: "engine:error", runId, where: "claim", message: (err as Error).message });
        return undefined;
      });
      if (!claim) {
        leave();
        gate?.open();
        gate = null;
        await ctx.workWake.wait(IDLE_CLAIM_WAIT_MS);
        continue;
      }
      inFlight++;
      ctx.claimable.claimed();
      let agentDone!: () => void;
      const freed = new Promise<void>((resolve) => {
        agentDone = resolve;
      });
      const previous = gate;
      const own = new CommitGate(COMMIT_GATE_MAX_MS);
      gate = own;
      const whole = runAttempt(
        ctx,
        claim,
        { laneMs: roundMs(started - queued), claimMs: roundMs(performance.now() - started) },
        {
          releaseLane: leave,
          onAgentDone: () => {
            agentDone();
            // With nothing left to claim there is no next agent to wait for: the commit goes at once.
            if (ctx.claimable.none) own.open();
            else own.arm();
          },
          onAgentStarted: () => {
            previous?.open();
          },
          commitGate: own.ready,
        },
      )
        .catch(() => {})
        .finally(() => {
          leave();
          inFlight--;
          agentDone();
          previous?.open();
          own.open();
        });
      await freed;
      if (tail) await tail;
      tail = whole;
    }
    gate?.open();
    if (tail) await tail;
    ctx.bus.emit({ type: "worker:stopped", runId, workerId });
  };

  // A new run's workers start after the coordinator's first look, which queues the first ready tasks:
  // their first claims find work instead of an empty queue and a wait for the wake-up. A resumed run's
  // queued tasks are there already, and its first look may have landings to make first: no waiting.
  let firstLook!: () => void;
  const looked = new Promise<void>((resolve) => {
    firstLook = resolve;
  });
  if (opts.resumed) firstLook();
  const workers = workerIds.map((id) => looked.then(() => workerLoop(id)));
  let result: ExecuteResult;
  try {
    result = await coordinate(ctx, killer, coordWake, () => inFlight, firstLook);
  } finally {
    firstLook();
    done = true;
    ctx.stopClaiming = { value: true, reason: ctx.stopClaiming.reason };
    ctx.workWake.notify();
    await Promise.allSettled(workers);
    clearInterval(heartbeat);
    for (const id of workerIds) await store.stopWorker(id).catch(() => {});
  }
  return result;
}

async function coordinate(
  ctx: RunContext,
  killer: AbortController,
  coordWake: Wake,
  inFlight: () => number,
  looked: () => void,
): Promise<ExecuteResult> {
  const { store, runId, bus } = ctx;
  let failures = 0;
  for (;;) {
    let v: Verdict | null;
    try {
      const run = await store.getRun(runId);
      if (run?.cancelRequested) return cancel(ctx, killer, coordWake, inFlight);
      v = await advance(ctx);
      failures = 0;
      looked();
    } catch (err) {
      looked();
      // One bad look (a locked store, a git hiccup) is retried on the next tick; a persistent one stops
      // the run, resumable, rather than spinning or losing the error.
      const message = (err as Error).message;
      bus.emit({ type: "engine:error", runId, where: "coordinator", message });
      if (++failures >= MAX_COORDINATOR_FAILURES) {
        ctx.stopClaiming = { value: true, reason: `coordinator failed ${failures} times: ${message}` };
        killer.abort();
        while (inFlight() > 0) await coordWake.wait(50);
        return { status: "interrupted", reason: ctx.stopClaiming.reason };
      }
      await coordWake.wait(TICK_MS);
      continue;
    }
    if (v) return v;
    if (ctx.stopClaiming.value && inFlight() === 0) {
      // Work that finished while stopping still lands before we leave.
      const last = await advance(ctx);
      if (last) return last;
      const reason = ctx.stopClaiming.reason ?? "stopped";
      bus.emit({ type: "run:interrupted", runId, reason });
      return { status: "interrupted", reason };
    }
    await coordWake.wait(TICK_MS);
  }
}

async function cancel(
  ctx: RunContext,
  killer: AbortController,
  coordWake: Wake,
  inFlight: () => number,
): Promise<ExecuteResult> {
  ctx.stopClaiming = { value: true, reason: "cancelled" };
  killer.abort();
  ctx.workWake.notify();
  while (inFlight() > 0) await coordWake.wait(50);
  await finalizeCancelled(ctx);
  return { status: "cancelled", reason: "cancelled" };
}

export async function finalizeCancelled(ctx: Pick<RunContext, "store" | "runId" | "bus">): Promise<void> {
  const open = (await ctx.store.listTasks(ctx.runId)).filter((t) => !isFinalTask(t.status));
  await ctx.store.finalizeTasks(
    ctx.runId,
    open.map((t) => t.taskId),
    "cancelled",
    "run cancelled",
  );
  for (const t of open) ctx.bus.emit({ type: "task:cancelled", runId: ctx.runId, taskId: t.taskId });
}
