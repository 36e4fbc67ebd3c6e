import { expect, it } from "vitest";
import type { GetStore } from "./conformance.js";
import { fail, ok, queuedRun, runInput, T0, worker } from "./helpers.js";

/** Claiming in plan order, and what finishing an attempt does to its task. */
export function claimSuite(get: GetStore): void {
  it("claims queued tasks in plan index order, each once, then none", async () => {
    const store = get();
    const runId = await queuedRun(store, { indexes: [2, 0, 1] });
    const claimed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const claim = await store.claimTask(runId, worker("w1"), 60_000, T0);
      claimed.push(claim?.task.taskId ?? "none");
      expect(claim).toMatchObject({ attempt: 1, workerId: "w1", leaseExpiresAt: T0 + 60_000 });
      expect(claim?.task).toMatchObject({ status: "running", attempt: 1, leaseOwner: "w1" });
    }
    expect(claimed).toEqual(["1.1", "1.2", "1.3"]);
    expect(await store.claimTask(runId, worker("w1"), 60_000, T0)).toBeUndefined();
    const attempts = await store.listAttempts(runId);
    expect(attempts).toHaveLength(3);
    expect(attempts[0]).toMatchObject({
      attempt: 1,
      workerId: "w1",
      status: "running",
      startedAt: T0,
      finishedAt: null,
    });
  });

  it("claims nothing when no task is queued", async () => {
    const store = get();
    const input = runInput({ tasks: 2 });
    await store.createRun(input, T0);
    expect(await store.claimTask(input.id, worker("w1"), 60_000, T0)).toBeUndefined();
    expect((await store.listTasks(input.id)).map((t) => t.status)).toEqual(["pending", "pending"]);
  });

  it("does not hand out a retry before its notBefore", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1 });
    const claim = await store.claimTask(runId, worker("w1"), 60_000, T0);
    expect(await store.finishAttempt(claim!, fail(true, { notBefore: T0 + 5000 }), T0 + 10)).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({ status: "queued", notBefore: T0 + 5000 });
    expect(await store.claimTask(runId, worker("w2"), 60_000, T0 + 4999)).toBeUndefined();
    const again = await store.claimTask(runId, worker("w2"), 60_000, T0 + 5000);
    expect(again).toMatchObject({ attempt: 2, workerId: "w2" });
    expect(again?.task.notBefore).toBeNull();
  });

  it("success completes the task and records the attempt's outcome, merged with updateAttempt", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1 });
    const claim = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(
      await store.updateAttempt(claim, { slotId: "wt-1", logPath: "/logs/a.log", timings: { claimMs: 3 } }),
    ).toBe(true);
    const finished = await store.finishAttempt(
      claim,
      { ...ok, resultCommit: "abc", usage: { turns: 4, costUsd: 0.5 }, timings: { agentMs: 1200 } },
      T0 + 2000,
    );
    expect(finished).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({
      status: "completed",
      resultCommit: "abc",
      leaseOwner: null,
      leaseExpiresAt: null,
      reason: null,
      updatedAt: T0 + 2000,
    });
    expect(await store.listAttempts(runId, "1.1")).toEqual([
      {
        runId,
        taskId: "1.1",
        attempt: 1,
        workerId: "w1",
        slotId: "wt-1",
        status: "succeeded",
        reason: null,
        exitCode: 0,
        signal: null,
        logPath: "/logs/a.log",
        commit: "abc",
        usage: { turns: 4, costUsd: 0.5 },
        timings: { claimMs: 3, agentMs: 1200 },
        startedAt: T0,
        finishedAt: T0 + 2000,
      },
    ]);
  });

  it("a retryable failure re-queues while attempts remain, then fails; a non-retryable one fails at once", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 2, maxAttempts: 2 });
    const first = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(await store.finishAttempt(first, { ...fail(true), signal: "SIGTERM" }, T0 + 1)).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({ status: "queued", attempt: 1, reason: "boom" });
    const second = (await store.claimTask(runId, worker("w1"), 60_000, T0 + 2))!;
    expect(second).toMatchObject({ attempt: 2, task: { taskId: "1.1" } });
    expect(await store.finishAttempt(second, fail(true), T0 + 3)).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({ status: "failed", attempt: 2, reason: "boom" });
    const attempts = await store.listAttempts(runId, "1.1");
    expect(attempts.map((a) => [a.attempt, a.status, a.exitCode, a.signal])).toEqual([
      [1, "failed", 1, "SIGTERM"],
      [2, "failed", 1, null],
    ]);

    const other = (await store.claimTask(runId, worker("w1"), 60_000, T0 + 4))!;
    expect(await store.finishAttempt(other, fail(false), T0 + 5)).toBe(true);
    expect(await store.getTask(runId, "1.2")).toMatchObject({ status: "failed", attempt: 1 });
  });

  it("a free retry gives the attempt back to the budget", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1, maxAttempts: 1 });
    const claim = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(
      await store.finishAttempt(claim, fail(true, { freeRetry: true, notBefore: T0 + 100 }), T0 + 1),
    ).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({
      status: "queued",
      maxAttempts: 2,
      notBefore: T0 + 100,
    });
    const next = (await store.claimTask(runId, worker("w1"), 60_000, T0 + 100))!;
    expect(next.attempt).toBe(2);
    expect(await store.finishAttempt(next, ok, T0 + 200)).toBe(true);
    expect((await store.getTask(runId, "1.1"))?.status).toBe("completed");
  });

  it("fencing: a stale attempt number or another worker cannot finish, renew or update, and nothing changes", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1 });
    const claim = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    const before = await store.getTask(runId, "1.1");
    const attemptsBefore = await store.listAttempts(runId);
    for (const impostor of [
      { ...claim, attempt: claim.attempt - 1 },
      { ...claim, attempt: claim.attempt + 1 },
      { ...claim, workerId: worker("w2") },
    ]) {
      expect(await store.finishAttempt(impostor, ok, T0 + 1)).toBe(false);
      expect(await store.finishAttempt(impostor, fail(true), T0 + 1)).toBe(false);
      expect(await store.renewLease(impostor, 120_000, T0 + 1)).toBe(false);
      expect(await store.updateAttempt(impostor, { logPath: "/x" })).toBe(false);
    }
    expect(await store.getTask(runId, "1.1")).toEqual(before);
    expect(await store.listAttempts(runId)).toEqual(attemptsBefore);
    // The real holder still can; afterwards, even it cannot finish twice.
    expect(await store.finishAttempt(claim, ok, T0 + 2)).toBe(true);
    expect(await store.finishAttempt(claim, ok, T0 + 3)).toBe(false);
  });
}
