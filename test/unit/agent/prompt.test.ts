import { describe, expect, it } from "vitest";
import { buildPrompt, conflictNote, slotEnv } from "../../../src/agent/index.js";
import { parsePlan } from "../../../src/plan/index.js";
import type { Plan } from "../../../src/plan/types.js";
import { makeTask } from "../../helpers/make-task.js";

const task = makeTask({
  title: "Create Hello World",
  files: [{ path: "test-artifacts/hello.txt", kind: "create" }],
  body: "### Task 1.1: Create Hello World\n\n**Implementation:**\nCreate `test-artifacts/hello.txt`.",
  verification: { commands: ["cat test-artifacts/hello.txt"], instructions: ["The file greets the reader"] },
});
const plan: Plan = {
  shape: "batched",
  title: "E2E Test 01",
  goal: "Prove the pipeline",
  architecture: "Plain files",
  context: "Test single file creation.",
  batches: [],
  tasks: [task],
  warnings: [],
};

describe("buildPrompt", () => {
  const prompt = buildPrompt({ plan, task, slotDir: "/pool/wt-1" });

  it("gives the plan as context and the task's whole section", () => {
    expect(prompt).toContain("E2E Test 01");
    expect(prompt).toContain("**Goal:** Prove the pipeline");
    expect(prompt).toContain("**Architecture:** Plain files");
    expect(prompt).toContain("Test single file creation.");
    expect(prompt).toContain(task.body);
  });

  it("gives a flat plan's Goal and Architecture once, as its text before the first task has them (issue 21)", () => {
    const flat = parsePlan(
      "# Limiter Implementation Plan\n\n**Goal:** Build a rate limiter.\n\n**Architecture:** Token bucket.\n\n### Task 1: One\n**Files:**\n- Create: `a.ts`\n\nDo it.\n",
      { source: "plan.md" },
    );
    const text = buildPrompt({ plan: flat, task: flat.tasks[0]!, slotDir: "/pool/wt-1" });
    expect(text.split("**Goal:** Build a rate limiter.")).toHaveLength(2);
    expect(text.split("**Architecture:** Token bucket.")).toHaveLength(2);
  });

  it("names the files, the checks, and the worktree it must stay in", () => {
    expect(prompt).toContain("- create: `test-artifacts/hello.txt`");
    expect(prompt).toContain("`cat test-artifacts/hello.txt`");
    expect(prompt).toContain("The file greets the reader");
    expect(prompt).toContain("/pool/wt-1");
    expect(prompt).toMatch(/do not touch anything outside it/);
  });

  it("adds the merge conflict and the previous failure only when set", () => {
    expect(prompt).not.toContain("conflicted");
    const note = conflictNote(["a.txt", "b.txt"]);
    const again = buildPrompt({
      plan,
      task,
      slotDir: "/pool/wt-1",
      conflictNote: note,
      retryNote: "exited with code 1",
    });
    expect(again).toContain(
      "Your previous attempt conflicted with work merged meanwhile in: a.txt, b.txt. " +
        "The worktree now starts from the new integration head; redo the task on top of it.",
    );
    expect(again).toContain("The previous attempt failed: exited with code 1");
  });
});

describe("slotEnv", () => {
  it("gives the four slot variables as strings", () => {
    expect(slotEnv({ runId: "exec_9", taskId: "1.2", slotId: "wt-3", portBase: 41000 })).toEqual({
      ORCHARD_RUN_ID: "exec_9",
      ORCHARD_TASK_ID: "1.2",
      ORCHARD_SLOT: "wt-3",
      ORCHARD_PORT_BASE: "41000",
    });
  });
});
