import { expect, it } from "vitest";
import type { RunId, SlotId, WorkerId } from "../../../src/store/index.js";
import type { ConformanceTarget, GetStore } from "./conformance.js";
import { runInput, T0 } from "./helpers.js";

/** Runs, batches, tasks as created; migrations; events; locks; workers; slots. */
export function recordSuite(get: GetStore, target: () => ConformanceTarget): void {
  it("creates a run with its batches and tasks, initial skips included", async () => {
    const store = get();
    const input = runInput({ tasks: 3, skipped: ["1.2"] });
    const run = await store.createRun(input, T0);
    expect(run).toMatchObject({
      id: input.id,
      status: "pending",
      integrationHead: null,
      cancelRequested: false,
      createdAt: T0,
      startedAt: null,
    });
    expect(await store.getRun(input.id)).toEqual(run);
    expect((await store.listRuns()).map((r) => r.id)).toContain(input.id);
    expect(await store.listBatches(input.id)).toEqual([
      {
        runId: input.id,
        batchId: "1",
        index: 0,
        title: "Batch one",
        dependsOn: [],
        baseCommit: null,
        readyAt: null,
      },
    ]);
    const tasks = await store.listTasks(input.id);
    expect(tasks.map((t) => [t.taskId, t.status, t.reason])).toEqual([
      ["1.1", "pending", null],
      ["1.2", "skipped", "already completed"],
      ["1.3", "pending", null],
    ]);
    expect(tasks[0]).toMatchObject({ attempt: 0, maxAttempts: 3, leaseOwner: null, updatedAt: T0 });
    expect(await store.getRun("exec_missing" as RunId)).toBeUndefined();
  });

  it("lists runs oldest first", async () => {
    const store = get();
    const later = runInput();
    const earlier = runInput();
    await store.createRun(later, T0 + 2000);
    await store.createRun(earlier, T0 + 1000);
    const ids = (await store.listRuns()).map((r) => r.id);
    expect(ids.indexOf(earlier.id)).toBeLessThan(ids.indexOf(later.id));
  });

  it("updates a run and records a cancel request", async () => {
    const store = get();
    const input = runInput();
    await store.createRun(input, T0);
    await store.updateRun(input.id, { status: "running", startedAt: T0 + 5 });
    await store.requestCancel(input.id);
    expect(await store.getRun(input.id)).toMatchObject({
      status: "running",
      startedAt: T0 + 5,
      cancelRequested: true,
    });
    await store.withdrawCancel(input.id);
    expect((await store.getRun(input.id))?.cancelRequested).toBe(false);
  });

  it("applies migrations idempotently: a second open and migrate see the same data", async () => {
    const input = runInput();
    await get().createRun(input, T0);
    const second = await target().open();
    try {
      await second.migrate();
      await second.migrate();
      expect((await second.getRun(input.id))?.id).toBe(input.id);
    } finally {
      await second.close();
    }
  });

  it("appends events with ascending seq and pages with afterSeq", async () => {
    const store = get();
    const { id } = runInput();
    const other = runInput().id;
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      seqs.push(await store.appendEvent(id, "task:started", { i, nested: { ok: true } }, T0 + i));
      await store.appendEvent(other, "noise", {}, T0);
    }
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const all = await store.listEvents(id);
    expect(all.map((e) => e.seq)).toEqual(seqs);
    expect(all[0]).toEqual({
      seq: seqs[0],
      runId: id,
      type: "task:started",
      at: T0,
      data: { i: 0, nested: { ok: true } },
    });
    const page = await store.listEvents(id, seqs[1], 2);
    expect(page.map((e) => e.data.i)).toEqual([2, 3]);
    expect(await store.listEvents(id, seqs[4])).toEqual([]);
    // One sequence across runs: the all-runs page holds both runs' events, in seq order.
    const across = (await store.listAllEvents(seqs[0]! - 1, 100_000)).filter(
      (e) => e.runId === id || e.runId === other,
    );
    expect(across.map((e) => e.runId)).toEqual(seqs.flatMap(() => [id, other]));
    expect(across.map((e) => e.seq)).toEqual([...across.map((e) => e.seq)].sort((a, b) => a - b));
    expect((await store.listAllEvents(seqs[4]!, 100_000)).some((e) => e.runId === id)).toBe(false);
  });

  it("appends a batch of events in order, in one go, after those before it", async () => {
    const store = get();
    const { id } = runInput();
    const first = await store.appendEvent(id, "run:started", {}, T0);
    const seqs = await store.appendEvents(
      id,
      [
        { type: "task:queued", data: { taskId: "1" }, at: T0 + 1 },
        { type: "task:started", data: { taskId: "1" } },
        { type: "task:completed", data: { taskId: "1" }, at: T0 + 3 },
      ],
      T0 + 2,
    );
    expect(seqs).toHaveLength(3);
    expect(seqs[0]).toBeGreaterThan(first);
    const all = await store.listEvents(id);
    expect(all.map((e) => [e.type, e.at])).toEqual([
      ["run:started", T0],
      ["task:queued", T0 + 1],
      ["task:started", T0 + 2],
      ["task:completed", T0 + 3],
    ]);
    expect(all.slice(1).map((e) => e.seq)).toEqual(seqs);
    expect(await store.appendEvents(id, [])).toEqual([]);
  });

  it("locks: exclusive, renewable by the owner, free after expiry, unlocked only by the owner", async () => {
    const store = get();
    const name = `integrate:${runInput().id}`;
    expect(await store.tryLock(name, "a", 1000, T0)).toBe(true);
    expect(await store.tryLock(name, "b", 1000, T0 + 10)).toBe(false);
    expect(await store.tryLock(name, "a", 1000, T0 + 500)).toBe(true); // renewed to T0+1500
    expect(await store.tryLock(name, "b", 1000, T0 + 1200)).toBe(false);
    expect(await store.tryLock(name, "b", 1000, T0 + 1500)).toBe(true); // expired
    await store.unlock(name, "a");
    expect(await store.tryLock(name, "a", 1000, T0 + 1600)).toBe(false);
    await store.unlock(name, "b");
    expect(await store.tryLock(name, "a", 1000, T0 + 1600)).toBe(true);
  });

  it("says who holds a lock until it expires; of concurrent takers exactly one wins", async () => {
    const store = get();
    const name = `run:${runInput().id}`;
    expect(await store.lockHolder(name, T0)).toBeUndefined();
    expect(await store.tryLock(name, "host:42:aa", 1000, T0)).toBe(true);
    expect(await store.lockHolder(name, T0 + 999)).toEqual({ owner: "host:42:aa", expiresAt: T0 + 1000 });
    expect(await store.lockHolder(name, T0 + 1000)).toBeUndefined();
    const other = `run:${runInput().id}`;
    const won = await Promise.all(
      ["a", "b", "c", "d", "e", "f"].map((owner) => store.tryLock(other, owner, 60_000, T0)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it("registers workers, records heartbeats and stops", async () => {
    const store = get();
    const { id: runId } = runInput();
    const id = `w-${runId}` as WorkerId;
    await store.registerWorker({ id, runId, host: "h", pid: 42, startedAt: T0, heartbeatAt: T0 });
    await store.heartbeatWorker(id, T0 + 100);
    expect(await store.listWorkers(runId)).toEqual([
      { id, runId, host: "h", pid: 42, startedAt: T0, heartbeatAt: T0 + 100, stoppedAt: null },
    ]);
    await store.stopWorker(id, T0 + 200);
    expect((await store.listWorkers(runId))[0]).toMatchObject({ stoppedAt: T0 + 200 });
  });

  it("upserts slots and lists them in natural order", async () => {
    const store = get();
    const slot = (n: number, state: "free" | "busy") => ({
      id: `wt-${n}` as SlotId,
      path: `/pool/wt-${n}`,
      state,
      runId: null,
      taskId: null,
      updatedAt: T0,
    });
    await store.upsertSlot(slot(10, "free"));
    await store.upsertSlot(slot(2, "free"));
    await store.upsertSlot({ ...slot(2, "busy"), taskId: "1.1" });
    const slots = await store.listSlots();
    expect(slots.map((s) => s.id)).toEqual(["wt-2", "wt-10"]);
    expect(slots[0]).toMatchObject({ state: "busy", taskId: "1.1" });
  });
}
