import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, snapshotCheckout, type TestRepo } from "../helpers/git-repo.js";
import { landedTaskIds, runPlan, seedPlan, showFile } from "../helpers/orchard.js";

/**
 * Every plan of the original pipeline, run with the scripted agent through the real engine, real git and
 * real agent processes, gives what the plan asks for — and leaves the user's checkout as it was.
 */
const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

async function run(name: string, workers = 3) {
  const repo = await makeRepo();
  repos.push(repo);
  const before = await snapshotCheckout(repo.dir);
  const { result, events } = await runPlan(repo.dir, seedPlan(name), { workers });
  expect(await snapshotCheckout(repo.dir)).toEqual(before);
  const status = Object.fromEntries(result.tasks.map((t) => [t.taskId, t.status]));
  const file = (path: string) => showFile(repo.dir, result.integrationBranch, path);
  return { repo, result, events, status, file };
}

describe("seed plans with the scripted agent", () => {
  it("e2e-test-01 creates hello.txt with the block's content", async () => {
    const { result, file } = await run("e2e-test-01.md");
    expect(result.status).toBe("succeeded");
    expect(await file("test-artifacts/hello.txt")).toBe("Hello from E2E Test 1\nCreated: 2026-01-13\n");
  });

  it("e2e-test-02 creates three files from inline contents", async () => {
    const { result, file } = await run("e2e-test-02.md");
    expect(result.status).toBe("succeeded");
    expect(await file("test-artifacts/file-a.txt")).toBe("File A content\n");
    expect(await file("test-artifacts/file-b.txt")).toBe("File B content\n");
    expect(await file("test-artifacts/file-c.txt")).toBe("File C content\n");
  });

  it("e2e-test-03 lands both sequential tasks in plan order", async () => {
    const { repo, result, file } = await run("e2e-test-03.md");
    expect(result.status).toBe("succeeded");
    expect(await file("test-artifacts/first.txt")).toBe("Task 1 complete\n");
    expect(await file("test-artifacts/second.txt")).toBe("Task 2 complete - after Task 1\n");
    expect(await landedTaskIds(repo.dir, result.integrationBranch)).toEqual(["1.1", "1.2"]);
  });

  it("e2e-test-04 fails the task that writes outside the worktree, and writes nothing there", async () => {
    const { result, status } = await run("e2e-test-04.md");
    expect(result.status).toBe("failed");
    expect(status["1.1"]).toBe("failed");
    expect(result.tasks[0]?.reason).toMatch(/outside the worktree|exited with code/);
    expect(existsSync("/root/forbidden/test.txt")).toBe(false);
  });

  it("e2e-test-05 fails the partly impossible task and lands none of it", async () => {
    const { result, status, file } = await run("e2e-test-05.md");
    expect(result.status).toBe("failed");
    expect(status["1.1"]).toBe("failed");
    expect(await file("test-artifacts/temp.txt")).toBeNull();
    expect(existsSync("/invalid/path/test.txt")).toBe(false);
  });

  it("e2e-test-06 skips the task marked completed", async () => {
    const { result, status, file, events } = await run("e2e-test-06.md");
    expect(result.status).toBe("succeeded");
    expect(status["1.1"]).toBe("skipped");
    expect(await file("test-artifacts/skip-me.txt")).toBeNull();
    expect(events.some((e) => e.type === "task:started")).toBe(false);
  });

  it("e2e-test-07 creates a 500-line file from the line template", async () => {
    const { result, file } = await run("e2e-test-07.md");
    expect(result.status).toBe("succeeded");
    const lines = (await file("test-artifacts/large.txt"))!.trimEnd().split("\n");
    expect(lines).toHaveLength(500);
    expect(lines[0]).toBe("Line 1: Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
    expect(lines[499]).toBe("Line 500: Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
  });

  it("e2e-test-08 handles a file name with spaces and symbols", async () => {
    const { result, file } = await run("e2e-test-08.md");
    expect(result.status).toBe("succeeded");
    expect(await file("test-artifacts/file with spaces & (special).txt")).toBe("Special chars test\n");
  });

  it("e2e-test-09 changes nothing and succeeds: the integration branch stays at the base", async () => {
    const { repo, result, status } = await run("e2e-test-09.md");
    expect(result.status).toBe("succeeded");
    expect(status["1.1"]).toBe("landed");
    expect(result.integrationHead).toBe(repo.head);
  });

  it("error-handling-test fails the impossible task and lands the other", async () => {
    const { result, status, file } = await run("error-handling-test.md");
    expect(result.status).toBe("failed");
    expect(status).toEqual({ "1.1": "landed", "1.2": "failed" });
    expect(await file("test-artifacts/error-test-valid.txt")).toBe(
      "Error Test - Valid File\nThis task should succeed\n",
    );
  });

  it("large-file-test writes at least 500 numbered lines", async () => {
    const { result, file } = await run("large-file-test.md");
    expect(result.status).toBe("succeeded");
    const lines = (await file("test-artifacts/large-file.txt"))!.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(500);
    expect(lines[41]).toMatch(/^Line 42: This is line number 42 of the large file test\./);
  });

  it("multi-file-test writes three files, one of them valid JSON", async () => {
    const { result, file } = await run("multi-file-test.md");
    expect(result.status).toBe("succeeded");
    expect(await file("test-artifacts/multi-file-1.txt")).toContain("Multi-File Test - File 1");
    expect(await file("test-artifacts/multi-file-2.txt")).toContain("Multi-File Test - File 2");
    expect(JSON.parse((await file("test-artifacts/multi-file-3.json"))!)).toMatchObject({ file_number: 3 });
  });

  it.each([
    ["parallel-test-2tasks.md", ["parallel-alpha", "parallel-beta"]],
    ["parallel-test-3tasks.md", ["parallel-one", "parallel-two", "parallel-three"]],
    ["worktree-isolation-test.md", ["parallel-test-1", "parallel-test-2"]],
    ["worktree-test-1.md", ["worktree-test-1"]],
    ["worktree-test-2.md", ["worktree-test-2"]],
  ])("%s lands every file, each task once, in plan order", async (name, stems) => {
    const { repo, result, file, events } = await run(name);
    expect(result.status).toBe("succeeded");
    for (const stem of stems) expect(await file(`test-artifacts/${stem}.txt`)).toMatch(/\S/);
    const ids = result.tasks.map((t) => t.taskId);
    expect(await landedTaskIds(repo.dir, result.integrationBranch)).toEqual(ids);
    expect(events.filter((e) => e.type === "task:started")).toHaveLength(ids.length);
  });

  it("test-plan-01: batch 2 starts from batch 1's landed work", async () => {
    const { repo, result, file, events } = await run("test-plan-01.md");
    expect(result.status).toBe("succeeded");
    expect(await file("test-artifacts/hello.py")).toContain('print("Hello from the autonomous pipeline!")');
    expect(JSON.parse((await file("test-artifacts/config.json"))!)).toMatchObject({ version: "1.0.0" });
    // The task branch of 2.1 was cut from a commit that already holds batch 1's files.
    const branch = `orchard/${result.runId}/tasks/2.1`;
    expect(await showFile(repo.dir, `${branch}^`, "test-artifacts/hello.txt")).toContain("Hello, Pipeline!");
    const started = events.findIndex((e) => e.type === "task:started" && e.taskId === "2.1");
    const landed = events
      .filter((e, i) => e.type === "task:landed" && i < started)
      .map((e) => (e as { taskId: string }).taskId);
    expect(landed.sort()).toEqual(["1.1", "1.2"]);
  });
});
