import { expect, it } from "vitest";
import type { GetStore } from "./conformance.js";
import { fail, ok, queuedRun, runInput, T0, worker } from "./helpers.js";

/** What the scheduler and the integrator do to tasks and batches. */
export function transitionSuite(get: GetStore): void {
  it("markReady queues pending tasks only", async () => {
    const store = get();
    const input = runInput({ tasks: 2, skipped: ["1.2"] });
    await store.createRun(input, T0);
    const items = [
      { taskId: "1.1", baseCommit: "b1" },
      { taskId: "1.2", baseCommit: "b1" },
    ];
    expect(await store.markReady(input.id, items, T0 + 1)).toBe(1);
    expect(await store.markReady(input.id, items, T0 + 2)).toBe(0);
    const tasks = await store.listTasks(input.id);
    expect(tasks.map((t) => [t.status, t.baseCommit])).toEqual([
      ["queued", "b1"],
      ["skipped", null],
    ]);
  });

  it("setBatchBase keeps the first value", async () => {
    const store = get();
    const input = runInput();
    await store.createRun(input, T0);
    expect(await store.setBatchBase(input.id, "1", "first", T0 + 1)).toBe("first");
    expect(await store.setBatchBase(input.id, "1", "second", T0 + 2)).toBe("first");
    expect((await store.listBatches(input.id))[0]).toMatchObject({ baseCommit: "first", readyAt: T0 + 1 });
  });

  it("markLanded lands a completed task and moves the run's integration head", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 2 });
    const claim = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(await store.markLanded(runId, "1.1", "merge1", T0 + 1)).toBe(false); // still running
    await store.finishAttempt(claim, ok, T0 + 2);
    expect(await store.markLanded(runId, "1.1", "merge1", T0 + 3)).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({ status: "landed", landedCommit: "merge1" });
    expect((await store.getRun(runId))?.integrationHead).toBe("merge1");
    expect(await store.markLanded(runId, "1.1", "merge2", T0 + 4)).toBe(false);
    expect((await store.getRun(runId))?.integrationHead).toBe("merge1");
  });

  it("requeueForConflict re-queues a completed task on the new base with the conflict named", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 1, maxAttempts: 1 });
    const claim = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(await store.requeueForConflict(runId, "1.1", "head2", "conflict in a.ts", T0 + 1)).toBe(false);
    await store.finishAttempt(claim, ok, T0 + 2);
    expect(await store.requeueForConflict(runId, "1.1", "head2", "conflict in a.ts", T0 + 3)).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({
      status: "queued",
      baseCommit: "head2",
      conflictNote: "conflict in a.ts",
      conflictRetries: 1,
      resultCommit: null,
      maxAttempts: 2,
    });
    const rerun = (await store.claimTask(runId, worker("w1"), 60_000, T0 + 4))!;
    expect(rerun.attempt).toBe(2);
    expect(rerun.task.conflictNote).toBe("conflict in a.ts");
  });

  it("finalizeTasks finalizes non-final tasks, fences a running one, and leaves final tasks alone", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 4, maxAttempts: 1, skipped: ["1.4"] });
    const done = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    await store.finishAttempt(done, ok, T0 + 1);
    await store.markLanded(runId, "1.1", "m1", T0 + 2);
    const failed = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    await store.finishAttempt(failed, fail(false), T0 + 3);
    const running = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(running.task.taskId).toBe("1.3");

    const count = await store.finalizeTasks(
      runId,
      ["1.1", "1.2", "1.3", "1.4"],
      "cancelled",
      "run cancelled",
      T0 + 4,
    );
    expect(count).toBe(1);
    const tasks = await store.listTasks(runId);
    expect(tasks.map((t) => [t.taskId, t.status, t.reason])).toEqual([
      ["1.1", "landed", null],
      ["1.2", "failed", "boom"],
      ["1.3", "cancelled", "run cancelled"],
      ["1.4", "skipped", "already completed"],
    ]);
    expect(await store.finishAttempt(running, ok, T0 + 5)).toBe(false);
    expect((await store.listAttempts(runId, "1.3"))[0]).toMatchObject({
      status: "cancelled",
      reason: "run cancelled",
    });
  });

  it("resetTask puts a failed, skipped or cancelled task back to pending with room for one more attempt", async () => {
    const store = get();
    const runId = await queuedRun(store, { tasks: 2, maxAttempts: 1, skipped: ["1.2"] });
    const claim = (await store.claimTask(runId, worker("w1"), 60_000, T0))!;
    expect(await store.resetTask(runId, "1.1", T0)).toBe(false); // running
    await store.finishAttempt(claim, fail(false), T0 + 1);
    expect(await store.resetTask(runId, "1.1", T0 + 2)).toBe(true);
    expect(await store.getTask(runId, "1.1")).toMatchObject({
      status: "pending",
      reason: null,
      maxAttempts: 2,
      attempt: 1,
    });
    expect(await store.resetTask(runId, "1.2", T0 + 2)).toBe(true);
    expect(await store.getTask(runId, "1.2")).toMatchObject({ status: "pending", maxAttempts: 1 });
    await store.markReady(runId, [{ taskId: "1.1", baseCommit: "b" }], T0 + 3);
    const again = (await store.claimTask(runId, worker("w1"), 60_000, T0 + 4))!;
    expect(again.attempt).toBe(2);
    await store.finishAttempt(again, ok, T0 + 5);
    expect(await store.resetTask(runId, "1.1", T0 + 6)).toBe(false); // completed
  });
}
