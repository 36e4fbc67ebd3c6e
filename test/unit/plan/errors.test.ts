import { describe, expect, it } from "vitest";
import { PlanError, parsePlan } from "../../../src/plan/index.js";
import { parseError } from "./helpers.js";

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;

describe("plan errors name the line to fix", () => {
  it("PLAN_NO_TASKS for text without task headings", () => {
    expect(parseError("# Just a title\n\nSome notes.\n")).toMatchObject({ code: "PLAN_NO_TASKS", line: 1 });
    expect(parseError("")).toMatchObject({ code: "PLAN_NO_TASKS" });
  });

  it("PLAN_DUPLICATE_TASK names both lines and points at the second", () => {
    const e = parseError(
      lines("## Batch 1: A", "", "### Task 1.1: a", "", "do a", "", "### Task 1.1: b", "", "do b"),
    );
    expect(e).toMatchObject({ code: "PLAN_DUPLICATE_TASK", line: 7, column: 1 });
    expect(e.message).toContain("line 3 and line 7");
  });

  it("PLAN_DUPLICATE_BATCH when a batch number repeats", () => {
    const e = parseError(
      lines(
        "## Batch 1: A",
        "",
        "### Task 1.1: a",
        "",
        "x",
        "",
        "## Batch 1: B",
        "",
        "### Task 1.2: b",
        "",
        "y",
      ),
    );
    expect(e).toMatchObject({ code: "PLAN_DUPLICATE_BATCH", line: 7 });
  });

  it("PLAN_UNKNOWN_TASK at the Depends on line", () => {
    const e = parseError(
      lines("### Task 1: a", "", "x", "", "### Task 2: b", "", "**Depends on:** Task 1, Task 9", "", "y"),
    );
    expect(e).toMatchObject({ code: "PLAN_UNKNOWN_TASK", line: 7, column: 1 });
    expect(e.message).toContain("Task 9");
  });

  it("PLAN_UNKNOWN_BATCH at the Dependencies line", () => {
    const e = parseError(
      lines("## Batch 1: A", "", "**Dependencies:** Batch 4", "", "### Task 1.1: a", "", "x"),
    );
    expect(e).toMatchObject({ code: "PLAN_UNKNOWN_BATCH", line: 3 });
    expect(e.message).toContain("Batch 4");
  });

  it("PLAN_CYCLE between tasks names the cycle", () => {
    const e = parseError(
      lines(
        "### Task 1: a",
        "",
        "x",
        "",
        "### Task 2: b",
        "",
        "**Depends on:** Task 3",
        "",
        "### Task 3: c",
        "",
        "**Depends on:** 2",
      ),
    );
    expect(e.code).toBe("PLAN_CYCLE");
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/Task 2 → Task 3 → Task 2|Task 3 → Task 2 → Task 3/);
  });

  it("PLAN_CYCLE through batch dependencies and a task dependency together", () => {
    const e = parseError(
      lines(
        "## Batch 1: A",
        "",
        "### Task 1.1: a",
        "",
        "**Depends on:** Task 2.1",
        "",
        "## Batch 2: B",
        "",
        "**Dependencies:** Batch 1",
        "",
        "### Task 2.1: b",
        "",
        "y",
      ),
    );
    expect(e.code).toBe("PLAN_CYCLE");
    expect(e.line).toBe(3);
    expect(e.message).toContain("Task 1.1");
    expect(e.message).toContain("Task 2.1");
    expect(e.message).toContain("Batch 1");
  });

  it("PLAN_CYCLE for a task that depends on itself", () => {
    expect(parseError(lines("### Task 1: a", "", "**Depends on:** Task 1"))).toMatchObject({
      code: "PLAN_CYCLE",
      line: 1,
    });
  });

  it("PLAN_EMPTY_TASK for a heading with nothing under it", () => {
    const e = parseError(
      lines("### Task 1: a", "", "x", "", "### Task 2: empty", "", "### Task 3: c", "", "y"),
    );
    expect(e).toMatchObject({ code: "PLAN_EMPTY_TASK", line: 5 });
    expect(parseError("### Task 1: last and empty\n")).toMatchObject({ code: "PLAN_EMPTY_TASK", line: 1 });
  });

  it("errors carry the source file and format as file:line:col", () => {
    try {
      parsePlan("### Task 1: a\n", { source: "plans/p.md" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PlanError);
      expect((err as PlanError).format()).toMatch(/^plans\/p\.md:1:1: Task 1 has nothing under its heading/);
    }
  });
});

describe("warnings for odd but usable plans", () => {
  const codes = (text: string) => parsePlan(text).warnings.map((w) => `${w.code}@${w.pos?.line}`);

  it("a task without Files", () => {
    expect(codes(lines("### Task 1: a", "", "Just do it."))).toEqual(["TASK_NO_FILES@1"]);
  });

  it("an unknown field, kept as task text", () => {
    const text = lines("### Task 1: a", "", "**Files:**", "- `a.ts`", "", "**Colour:** blue");
    expect(codes(text)).toEqual(["UNKNOWN_FIELD@6"]);
    expect(parsePlan(text).tasks[0]!.implementation).toBe("**Colour:** blue");
  });

  it("a field named like an object's built-in property is just unknown", () => {
    for (const name of ["Constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const text = lines("### Task 1: a", "", "**Files:**", "- `a.ts`", "", `**${name}:** x`);
      expect(codes(text)).toEqual(["UNKNOWN_FIELD@6"]);
    }
  });

  it("prose fields such as Notes are not warned about", () => {
    expect(codes(lines("### Task 1: a", "", "**Files:** `a.ts`", "", "**Notes:** careful"))).toEqual([]);
  });

  it("tasks before the first batch heading go to the first batch", () => {
    const plan = parsePlan(
      lines(
        "### Task 0.1: early",
        "",
        "**Files:** `a`",
        "",
        "## Batch 1: A",
        "",
        "### Task 1.1: a",
        "",
        "**Files:** `b`",
      ),
    );
    expect(plan.warnings.map((w) => w.code)).toEqual(["TASK_OUTSIDE_BATCH"]);
    expect(plan.batches[0]!.tasks).toEqual(["0.1", "1.1"]);
  });

  it("a batch without tasks, an unreadable dependency and an unknown execution mode", () => {
    const text = lines(
      "## Batch 1: A",
      "",
      "**Execution Mode:** turbo",
      "",
      "### Task 1.1: a",
      "",
      "**Files:** `a`",
      "**Depends on:** the other one",
      "",
      "## Batch 2: Empty",
    );
    expect(codes(text)).toEqual(["UNKNOWN_EXECUTION_MODE@3", "UNREADABLE_DEPENDENCY@8", "BATCH_NO_TASKS@10"]);
  });

  it("a Depends on naming a later task is fine in a batched plan, worth a warning in a flat one", () => {
    const batched = lines(
      "## Batch 1: A",
      "",
      "### Task 1.1: a",
      "",
      "**Files:** `a`",
      "**Depends on:** Task 1.2",
      "",
      "### Task 1.2: b",
      "",
      "**Files:** `b`",
    );
    expect(codes(batched)).toEqual([]);
    const flat = lines(
      "### Task 1: a",
      "",
      "**Files:** `a`",
      "**Depends on:** Task 2",
      "",
      "### Task 2: b",
      "",
      "**Files:** `b`",
    );
    expect(codes(flat)).toEqual(["FORWARD_DEPENDENCY@1"]);
  });
});
