import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { planGraph } from "../../../src/plan/index.js";
import { SEED_DIR, seed, task } from "./helpers.js";

const files = (plan: ReturnType<typeof seed>, id: string) =>
  task(plan, id).files.map((f) => `${f.kind} ${f.path}`);

describe("seed plans", () => {
  it("every seed plan parses into a batched plan with tasks and no warnings", () => {
    const names = readdirSync(SEED_DIR).filter((n) => n.endsWith(".md"));
    expect(names.length).toBe(18);
    for (const name of names) {
      const plan = seed(name);
      expect(plan.shape, name).toBe("batched");
      expect(plan.tasks.length, name).toBeGreaterThan(0);
      expect(plan.warnings, name).toEqual([]);
      for (const t of plan.tasks) expect(t.body.startsWith(`### Task ${t.id}:`), name).toBe(true);
    }
  });

  it("test-plan-01: two batches, batch 2 depends on batch 1, python block has its path", () => {
    const plan = seed("test-plan-01.md");
    expect(plan.title).toBe("Test Plan 01: Pipeline Hardening E2E Test");
    expect(plan.context).toBe(
      "This plan is designed to test the autonomous execution pipeline with simple file creation tasks.",
    );
    expect(
      plan.batches.map((b) => [b.id, b.title, b.dependsOn, b.executionMode, b.tasks, b.implicit]),
    ).toEqual([
      ["1", "Simple File Creation", [], "local", ["1.1", "1.2"], false],
      ["2", "Script Enhancement", ["1"], "local", ["2.1"], false],
    ]);
    expect(plan.tasks.map((t) => [t.id, t.title, t.batch, t.index, t.pos.line])).toEqual([
      ["1.1", "Create Hello World File", "1", 0, 10],
      ["1.2", "Create Python Script", "1", 1, 29],
      ["2.1", "Add Configuration File", "2", 2, 60],
    ]);
    const t12 = task(plan, "1.2");
    expect(files(plan, "1.2")).toEqual(["create test-artifacts/hello.py"]);
    expect(t12.codeBlocks).toHaveLength(1);
    expect(t12.codeBlocks[0]).toMatchObject({ lang: "python", path: "test-artifacts/hello.py" });
    expect(t12.codeBlocks[0]!.value).toContain('print("Hello from the autonomous pipeline!")');
    expect(t12.verification).toEqual({ commands: [], instructions: ["python test-artifacts/hello.py"] });
    expect(t12.commit).toBe("Create hello.py test script");
    expect(t12.implementation.startsWith("Create a simple Python script that prints a greeting.")).toBe(true);
    expect(t12.implementation).toContain("```python");
    expect(task(plan, "1.1").codeBlocks[0]!.path).toBe("test-artifacts/hello.txt");
    expect(task(plan, "2.1").codeBlocks[0]).toMatchObject({
      lang: "json",
      path: "test-artifacts/config.json",
    });
    expect(planGraph(plan, { parallel: false, fileGuard: true }).waves).toEqual([["1.1", "1.2"], ["2.1"]]);
  });

  it("e2e-test-01: verification written without backticks is an instruction", () => {
    const t = task(seed("e2e-test-01.md"), "1.1");
    expect(t.verification).toEqual({ commands: [], instructions: ["cat test-artifacts/hello.txt"] });
    expect(t.codeBlocks).toEqual([
      { lang: null, value: "Hello from E2E Test 1\nCreated: 2026-01-13", path: "test-artifacts/hello.txt" },
    ]);
    expect(t.body).toContain("**Commit:** Create hello.txt test file");
  });

  it("e2e-test-02: three created files and three verification lines", () => {
    const plan = seed("e2e-test-02.md");
    expect(files(plan, "1.1")).toEqual([
      "create test-artifacts/file-a.txt",
      "create test-artifacts/file-b.txt",
      "create test-artifacts/file-c.txt",
    ]);
    expect(task(plan, "1.1").verification.instructions).toHaveLength(3);
    expect(task(plan, "1.1").codeBlocks).toEqual([]);
  });

  it("e2e-test-03: two tasks in one independent batch", () => {
    const plan = seed("e2e-test-03.md");
    expect(plan.tasks.map((t) => t.id)).toEqual(["1.1", "1.2"]);
    expect(plan.batches[0]!.dependsOn).toEqual([]);
    expect(task(plan, "1.2").dependsOn).toEqual([]);
  });

  it("e2e-test-04 and 05 keep absolute paths", () => {
    expect(files(seed("e2e-test-04.md"), "1.1")).toEqual(["create /root/forbidden/test.txt"]);
    expect(files(seed("e2e-test-05.md"), "1.1")).toEqual([
      "create test-artifacts/temp.txt",
      "create /invalid/path/test.txt",
    ]);
  });

  it("e2e-test-06: Status completed makes the task skip, and no wave lists it", () => {
    const plan = seed("e2e-test-06.md");
    expect(task(plan, "1.1").skip).toBe(true);
    expect(planGraph(plan, { parallel: false, fileGuard: true }).waves).toEqual([]);
  });

  it("e2e-test-08 keeps a path with spaces and symbols whole", () => {
    const plan = seed("e2e-test-08.md");
    expect(task(plan, "1.1").files).toEqual([
      { path: "test-artifacts/file with spaces & (special).txt", kind: "create" },
    ]);
  });

  it("e2e-test-09: the only file is read, so the task may change nothing", () => {
    const t = task(seed("e2e-test-09.md"), "1.1");
    expect(t.files).toEqual([{ path: "README.md", kind: "read" }]);
    expect(t.allowNoChanges).toBe(true);
    expect(t.commit).toBe("Verify README exists (no changes expected)");
  });

  it("other seeds do not allow no changes and are not skipped", () => {
    for (const name of ["e2e-test-01.md", "test-plan-01.md", "multi-file-test.md"]) {
      for (const t of seed(name).tasks) expect([t.allowNoChanges, t.skip]).toEqual([false, false]);
    }
  });

  it("multi-file-test: each of the three blocks gets its own path", () => {
    const t = task(seed("multi-file-test.md"), "1.1");
    expect(t.codeBlocks.map((c) => [c.lang, c.path])).toEqual([
      [null, "test-artifacts/multi-file-1.txt"],
      [null, "test-artifacts/multi-file-2.txt"],
      ["json", "test-artifacts/multi-file-3.json"],
    ]);
    expect(t.verification.instructions).toEqual(["All three files exist", "JSON file is valid JSON"]);
  });

  it("error-handling-test: two tasks, the second with an absolute path", () => {
    const plan = seed("error-handling-test.md");
    expect(plan.tasks.map((t) => t.title)).toEqual(["Create Valid File", "Create File with Invalid Path"]);
    expect(task(plan, "1.2").verification.instructions).toEqual(["This will fail"]);
    expect(task(plan, "1.2").commit).toBe("(This should never execute due to failure)");
    expect(task(plan, "1.1").codeBlocks[0]!.path).toBe("test-artifacts/error-test-valid.txt");
  });

  it("parallel-test-3tasks: three tasks may run at the same time", () => {
    const plan = seed("parallel-test-3tasks.md");
    expect(planGraph(plan, { parallel: false, fileGuard: true }).waves).toEqual([["1.1", "1.2", "1.3"]]);
    expect(plan.tasks.map((t) => t.codeBlocks[0]?.path)).toEqual([
      "test-artifacts/parallel-one.txt",
      "test-artifacts/parallel-two.txt",
      "test-artifacts/parallel-three.txt",
    ]);
  });

  it("worktree plans: instructions keep their quotes", () => {
    const t = task(seed("worktree-isolation-test.md"), "1.1");
    expect(t.verification.instructions).toEqual(["Test file exists", 'Content contains "Parallel Test 1"']);
    expect(files(seed("worktree-test-2.md"), "1.1")).toEqual(["create test-artifacts/worktree-test-2.txt"]);
    expect(files(seed("large-file-test.md"), "1.1")).toEqual(["create test-artifacts/large-file.txt"]);
    expect(files(seed("e2e-test-07.md"), "1.1")).toEqual(["create test-artifacts/large.txt"]);
    expect(files(seed("parallel-test-2tasks.md"), "1.2")).toEqual([
      "create test-artifacts/parallel-beta.txt",
    ]);
    expect(files(seed("worktree-test-1.md"), "1.1")).toEqual(["create test-artifacts/worktree-test-1.txt"]);
  });
});
