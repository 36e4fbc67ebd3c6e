import { expect, it } from "vitest";
import type { GetStore } from "./conformance.js";
import { fail, ok, queuedRun, T0, worker } from "./helpers.js";

/** Leases: renewal, expiry, interruption, and the fenced-out worker after each. */
export function leaseSuite(get: GetStore): void {
  it("renewing a lease moves its expiry, so requeueExpired leaves it alone", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1 });
    const claim = (await store.claimTask(runId, worker("w1"), 1000, T0))!;
    expect(await store.renewLease(claim, 1000, T0 + 900)).toBe(true);
    expect((await store.getTask(runId, "1.1"))?.leaseExpiresAt).toBe(T0 + 1900);
    expect(await store.requeueExpired(runId, T0 + 1500)).toEqual([]);
    expect((await store.getTask(runId, "1.1"))?.status).toBe("running");
  });

  it("an expired lease re-queues the task; the next claim is attempt 2 and the first worker is fenced out", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1 });
    const first = (await store.claimTask(runId, worker("w1"), 1000, T0))!;
    expect(await store.requeueExpired(runId, T0 + 1000)).toEqual([]); // not yet: expiry is strict
    const requeued = await store.requeueExpired(runId, T0 + 1001);
    expect(requeued.map((t) => [t.taskId, t.status, t.attempt, t.leaseOwner, t.reason])).toEqual([
      ["1.1", "queued", 1, null, "lease expired"],
    ]);
    const second = (await store.claimTask(runId, worker("w2"), 1000, T0 + 1002))!;
    expect(second.attempt).toBe(2);

    const before = await store.getTask(runId, "1.1");
    expect(await store.finishAttempt(first, ok, T0 + 1003)).toBe(false);
    expect(await store.renewLease(first, 1000, T0 + 1003)).toBe(false);
    expect(await store.getTask(runId, "1.1")).toEqual(before);

    expect(await store.finishAttempt(second, ok, T0 + 1004)).toBe(true);
    const attempts = await store.listAttempts(runId, "1.1");
    expect(attempts.map((a) => [a.attempt, a.workerId, a.status, a.reason])).toEqual([
      [1, "w1", "expired", "lease expired"],
      [2, "w2", "succeeded", null],
    ]);
    expect(attempts[0]?.finishedAt).toBe(T0 + 1001);
  });

  it("an expired lease on the last attempt fails the task", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1, maxAttempts: 1 });
    await store.claimTask(runId, worker("w1"), 1000, T0);
    const changed = await store.requeueExpired(runId, T0 + 5000);
    expect(changed.map((t) => [t.status, t.reason])).toEqual([["failed", "lease expired; no attempts left"]]);
    expect(await store.claimTask(runId, worker("w2"), 1000, T0 + 5001)).toBeUndefined();
    expect((await store.listAttempts(runId))[0]?.status).toBe("expired");
  });

  it("requeueInterrupted takes back running tasks whose lease has not expired", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 3, maxAttempts: 2 });
    const a = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    const b = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(await store.finishAttempt(b, ok, T0 + 1)).toBe(true);
    const changed = await store.requeueInterrupted(runId, T0 + 2);
    expect(changed.map((t) => [t.taskId, t.status])).toEqual([[a.task.taskId, "queued"]]);
    expect((await store.getTask(runId, b.task.taskId))?.status).toBe("completed");
    expect(await store.finishAttempt(a, ok, T0 + 3)).toBe(false);
    const again = (await store.claimTask(runId, worker("w2"), 60_000, T0 + 4))!;
    expect([again.task.taskId, again.attempt]).toEqual([a.task.taskId, 2]);
    // At the limit too: an attempt ended by the orchestrator's death never counts (issue 20 item 2).
    const handedBack = await store.requeueInterrupted(runId, T0 + 5);
    expect(handedBack.map((t) => [t.taskId, t.status])).toEqual([[a.task.taskId, "queued"]]);
    const third = (await store.claimTask(runId, worker("w3"), 60_000, T0 + 6))!;
    expect([third.task.taskId, third.attempt]).toEqual([a.task.taskId, 3]);
    // The task's own failures still count: after two crashes it has its two attempts, no more.
    expect(await store.finishAttempt(third, fail(true), T0 + 7)).toBe(true);
    expect((await store.getTask(runId, a.task.taskId))?.status).toBe("queued");
    const fourth = (await store.claimTask(runId, worker("w3"), 60_000, T0 + 8))!;
    expect(fourth.attempt).toBe(4);
    expect(await store.finishAttempt(fourth, fail(true), T0 + 9)).toBe(true);
    expect((await store.getTask(runId, a.task.taskId))?.status).toBe("failed");
  });
}
