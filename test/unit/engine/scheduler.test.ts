import { describe, expect, it } from "vitest";
import { verdict } from "../../../src/engine/coordinator.js";
import { landingOrder, schedule } from "../../../src/engine/scheduler.js";
import type { PlanEdge } from "../../../src/plan/graph.js";
import type { TaskId } from "../../../src/plan/types.js";
import type { RunId, TaskRecord, TaskStatus } from "../../../src/store/types.js";

const task = (taskId: string, status: TaskStatus, index = 0, batchId = "1"): TaskRecord => ({
  runId: "exec_x" as RunId,
  taskId,
  batchId,
  index,
  title: taskId,
  status,
  attempt: 0,
  maxAttempts: 2,
  leaseOwner: null,
  leaseExpiresAt: null,
  baseCommit: null,
  resultCommit: null,
  landedCommit: null,
  reason: null,
  notBefore: null,
  conflictNote: null,
  conflictRetries: 0,
  updatedAt: 0,
});
const edge = (on: string, kind: PlanEdge["kind"], reason: PlanEdge["reason"] = "depends-on"): PlanEdge => ({
  on: on as TaskId,
  kind,
  reason,
});

describe("schedule", () => {
  it("queues tasks whose dependencies landed and keeps the rest waiting", () => {
    const d = schedule({
      tasks: [task("a", "landed"), task("b", "pending"), task("c", "pending"), task("d", "running")],
      edges: new Map([
        ["b", [edge("a", "dep", "batch")]],
        ["c", [edge("d", "dep")]],
      ]),
      presatisfied: new Set(),
    });
    expect(d.ready).toEqual([{ taskId: "b", batchId: "1", baseFrom: "batch" }]);
    expect(d.skip).toEqual([]);
  });

  it("skips the dependents of a failed task with the reason, but order edges only wait", () => {
    const d = schedule({
      tasks: [task("a", "failed"), task("b", "pending"), task("c", "pending")],
      edges: new Map([
        ["b", [edge("a", "dep")]],
        ["c", [edge("a", "order", "file-guard")]],
      ]),
      presatisfied: new Set(),
    });
    expect(d.skip).toEqual([{ taskId: "b", reason: "depends on task a, which failed" }]);
    expect(d.ready).toEqual([{ taskId: "c", batchId: "1", baseFrom: "head" }]);
  });

  it("treats tasks completed in the plan as done", () => {
    const d = schedule({
      tasks: [task("a", "skipped"), task("b", "pending")],
      edges: new Map([["b", [edge("a", "dep")]]]),
      presatisfied: new Set(["a"]),
    });
    expect(d.ready.map((r) => r.taskId)).toEqual(["b"]);
  });
});

describe("landingOrder", () => {
  it("is plan order when dependencies point backwards", () => {
    const tasks = ["a", "b", "c"].map((taskId, index) => ({ taskId, index }));
    expect(landingOrder(tasks, new Map([["c", [edge("a", "dep")]]]))).toEqual(["a", "b", "c"]);
  });

  it("puts a dependency first when it comes later in the plan", () => {
    const tasks = ["a", "b", "c"].map((taskId, index) => ({ taskId, index }));
    expect(landingOrder(tasks, new Map([["a", [edge("c", "dep")]]]))).toEqual(["b", "c", "a"]);
  });

  it("refuses a cycle", () => {
    const tasks = ["a", "b"].map((taskId, index) => ({ taskId, index }));
    expect(() =>
      landingOrder(
        tasks,
        new Map([
          ["a", [edge("b", "dep")]],
          ["b", [edge("a", "dep")]],
        ]),
      ),
    ).toThrow(/cycle/);
  });
});

describe("verdict", () => {
  it("is null while anything is open, and names failed tasks at the end", () => {
    expect(verdict([task("a", "landed"), task("b", "completed")])).toBeNull();
    expect(verdict([task("a", "landed"), task("b", "failed")])).toEqual({
      status: "failed",
      reason: "1 task failed: b",
    });
    expect(verdict([task("a", "landed"), task("b", "skipped")])).toEqual({
      status: "succeeded",
      reason: null,
    });
    expect(verdict([task("a", "cancelled"), task("b", "landed")])?.status).toBe("cancelled");
  });
});
