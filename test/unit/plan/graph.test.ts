import { describe, expect, it } from "vitest";
import { type PlanGraph, parsePlan, planGraph } from "../../../src/plan/index.js";
import { batchId, taskId } from "../../../src/plan/types.js";
import { makeTask } from "../../helpers/make-task.js";

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;
const edges = (g: PlanGraph) =>
  Object.fromEntries([...g.edges].map(([t, es]) => [t, es.map((e) => `${e.on}:${e.kind}:${e.reason}`)]));

const batched = parsePlan(
  lines(
    "## Batch 1: A",
    "**Dependencies:** None",
    "### Task 1.1: a",
    "**Files:**",
    "- Modify: `shared.ts`",
    "- Read: `readme.md`",
    "### Task 1.2: b",
    "**Files:**",
    "- Modify: `other.ts`",
    "- Read: `readme.md`",
    "### Task 1.3: c",
    "**Files:**",
    "- Modify: `./shared.ts:5-9`",
    "### Task 1.4: d",
    "**Depends on:** Task 1.3",
    "**Files:**",
    "- Modify: `shared.ts`",
    "## Batch 2: B",
    "### Task 2.1: e",
    "**Files:**",
    "- Modify: `shared.ts`",
    "### Task 2.2: f",
    "**Files:** `x`",
  ),
);

describe("planGraph on a batched plan", () => {
  it("batch dependencies give every task a dep edge on every task of the batch before", () => {
    const g = planGraph(batched, { parallel: false, fileGuard: false });
    expect(edges(g)).toEqual({
      "1.1": [],
      "1.2": [],
      "1.3": [],
      "1.4": ["1.3:dep:depends-on"],
      "2.1": ["1.1:dep:batch", "1.2:dep:batch", "1.3:dep:batch", "1.4:dep:batch"],
      "2.2": ["1.1:dep:batch", "1.2:dep:batch", "1.3:dep:batch", "1.4:dep:batch"],
    });
    expect(g.waves).toEqual([["1.1", "1.2", "1.3"], ["1.4"], ["2.1", "2.2"]]);
  });

  it("the file guard orders tasks of one batch that declare the same file (read files excepted)", () => {
    const g = planGraph(batched, { parallel: false, fileGuard: true });
    // 1.3 waits for 1.1 (shared.ts); 1.4 already depends on 1.3, the nearest earlier one, so no guard edge.
    expect(edges(g)["1.3"]).toEqual(["1.1:order:file-guard"]);
    expect(edges(g)["1.4"]).toEqual(["1.3:dep:depends-on"]);
    expect(edges(g)["1.2"]).toEqual([]);
    expect(g.waves).toEqual([["1.1", "1.2"], ["1.3"], ["1.4"], ["2.1", "2.2"]]);
  });

  it("skipped tasks are treated as done: kept as edge targets, left out of waves and the guard", () => {
    const text = lines(
      "## Batch 1: A",
      "### Task 1.1: a",
      "**Status:** completed",
      "**Files:** `f`",
      "### Task 1.2: b",
      "**Files:** `f`",
      "### Task 1.3: c",
      "**Files:** `f`",
      "## Batch 2: B",
      "### Task 2.1: d",
      "**Files:** `g`",
    );
    const g = planGraph(parsePlan(text), { parallel: false, fileGuard: true });
    expect(edges(g)["1.2"]).toEqual([]);
    expect(edges(g)["1.3"]).toEqual(["1.2:order:file-guard"]);
    expect(edges(g)["2.1"]).toEqual(["1.1:dep:batch", "1.2:dep:batch", "1.3:dep:batch"]);
    expect(g.waves).toEqual([["1.2"], ["1.3"], ["2.1"]]);
  });

  it("a dependency on a later task in the same batch orders the guard the same way round", () => {
    const text = lines(
      "## Batch 1: A",
      "### Task 1.1: a",
      "**Depends on:** Task 1.2",
      "**Files:** `f`",
      "### Task 1.2: b",
      "**Files:** `f`",
    );
    const g = planGraph(parsePlan(text), { parallel: false, fileGuard: true });
    expect(edges(g)).toEqual({ "1.1": ["1.2:dep:depends-on"], "1.2": [] });
    expect(g.waves).toEqual([["1.2"], ["1.1"]]);
  });
});

describe("planGraph on a flat plan", () => {
  const flat = parsePlan(
    lines(
      "### Task 1: a",
      "**Files:** `a`",
      "### Task 2: b",
      "**Status:** done",
      "**Files:** `b`",
      "### Task 3: c",
      "**Depends on:** Task 4",
      "**Files:** `c`",
      "### Task 4: d",
      "**Files:** `a`",
    ),
  );

  it("in order, skipping skipped tasks and following a dependency on a later task", () => {
    const g = planGraph(flat, { parallel: false, fileGuard: true });
    expect(edges(g)).toEqual({
      "1": [],
      "2": [],
      "3": ["4:dep:depends-on"],
      "4": ["1:order:flat-order"],
    });
    expect(g.waves).toEqual([["1"], ["4"], ["3"]]);
  });

  it("with --parallel, inferred file dependencies only", () => {
    const g = planGraph(flat, { parallel: true, fileGuard: true });
    expect(edges(g)).toEqual({ "1": [], "2": [], "3": ["4:dep:depends-on"], "4": ["1:dep:inferred-file"] });
    expect(g.waves).toEqual([["1"], ["4"], ["3"]]);
  });
});

describe("planGraph speed", () => {
  it("handles 10,000 tasks of a hand-built plan", () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) =>
      makeTask({
        id: taskId(String(i + 1)),
        title: "",
        batch: batchId(String(Math.floor(i / 10) + 1)),
        index: i,
        pos: { line: i + 1, column: 1 },
        files: [{ path: `f${i % 50}`, kind: "modify" as const }],
      }),
    );
    const batches = Array.from({ length: 1000 }, (_, b) => ({
      id: String(b + 1),
      title: "",
      index: b,
      pos: { line: 1, column: 1 },
      dependsOn: b === 0 ? [] : [String(b)],
      tasks: tasks.slice(b * 10, b * 10 + 10).map((t) => t.id),
      implicit: false,
    }));
    // biome-ignore lint/suspicious/noExplicitAny: ids are plain strings in this hand-built plan
    const plan: any = { shape: "batched", context: "", batches, tasks, warnings: [] };
    const g = planGraph(plan, { parallel: false, fileGuard: true });
    expect(g.waves).toHaveLength(1000);
    expect(g.edges.get("11" as never)).toHaveLength(10);
  });
});
