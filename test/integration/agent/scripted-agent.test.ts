import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAgent, scriptedPreset } from "../../../src/agent/index.js";
import type { PlanTask } from "../../../src/plan/types.js";
import { makeTask } from "../../helpers/make-task.js";
import { useTempDirs } from "./helpers.js";

const tempDir = useTempDirs();

/** Runs the scripted agent for real on `task` in a fresh slot inside a fresh sandbox directory. */
async function runScripted(task: PlanTask, slotDir?: string) {
  const outer = await tempDir();
  const slot = slotDir ?? join(outer, "slot");
  if (!slotDir) await mkdir(slot);
  const lines: string[] = [];
  const result = await runAgent(
    scriptedPreset(),
    {
      runId: "exec_s",
      taskId: task.id,
      slotDir: slot,
      prompt: "unused by the scripted agent",
      promptFile: join(outer, "attempt", "prompt.md"),
      taskFile: join(outer, "attempt", "task.json"),
      env: {},
    },
    { logPath: join(outer, "attempt", "agent.log"), task, onLine: (l) => lines.push(l), timeoutMs: 60_000 },
  );
  return { result, slot, outer, lines };
}

describe("scripted agent, as a real process", () => {
  it("writes a code block's content and reports one turn (e2e-test-01)", async () => {
    const { result, slot, lines } = await runScripted(
      makeTask({
        files: [{ path: "test-artifacts/hello.txt", kind: "create" }],
        codeBlocks: [
          {
            lang: null,
            value: "Hello from E2E Test 1\nCreated: 2026-01-13",
            path: "test-artifacts/hello.txt",
          },
        ],
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.report.usage).toEqual({ turns: 1 });
    expect(await readFile(join(slot, "test-artifacts/hello.txt"), "utf8")).toBe(
      "Hello from E2E Test 1\nCreated: 2026-01-13\n",
    );
    expect(lines.some((l) => l.startsWith("wrote test-artifacts/hello.txt"))).toBe(true);
  });

  it("writes a file whose name has spaces and symbols (e2e-test-08)", async () => {
    const path = "test-artifacts/file with spaces & (special).txt";
    const { result, slot } = await runScripted(
      makeTask({
        files: [{ path, kind: "create" }],
        implementation: `Create a file named \`${path}\` with content: "Special chars test"`,
      }),
    );
    expect(result.ok).toBe(true);
    expect(await readFile(join(slot, path), "utf8")).toBe("Special chars test\n");
  });

  it("refuses an absolute path, fails with that sentence, and writes nothing outside (e2e-test-04)", async () => {
    const { result, slot, outer } = await runScripted(
      makeTask({
        files: [{ path: "/root/forbidden/test.txt", kind: "create" }],
        implementation: 'Create file `/root/forbidden/test.txt` with content: "This should fail"',
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(
      "exited with code 1: refusing to write outside the worktree: /root/forbidden/test.txt",
    );
    expect(existsSync("/root/forbidden/test.txt")).toBe(false);
    expect(await readdir(slot)).toEqual([]);
    expect((await readdir(outer)).sort()).toEqual(["attempt", "slot"]);
  });

  it("does the valid part first, then fails on the invalid one (e2e-test-05)", async () => {
    const { result, slot } = await runScripted(
      makeTask({
        files: [
          { path: "test-artifacts/temp.txt", kind: "create" },
          { path: "/invalid/path/test.txt", kind: "create" },
        ],
        implementation:
          'First create `test-artifacts/temp.txt` with content "Temporary file", then attempt to write to `/invalid/path/test.txt`.',
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toContain("refusing to write outside the worktree: /invalid/path/test.txt");
    expect(await readFile(join(slot, "test-artifacts/temp.txt"), "utf8")).toBe("Temporary file\n");
    expect(existsSync("/invalid/path/test.txt")).toBe(false);
  });

  it("refuses a relative path that climbs out of the slot", async () => {
    const { result, outer } = await runScripted(
      makeTask({ files: [{ path: "../escape.txt", kind: "create" }] }),
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toContain("refusing to write outside the worktree: ../escape.txt");
    expect(existsSync(join(outer, "escape.txt"))).toBe(false);
  });

  it("refuses a path that leaves the slot through a symlink", async () => {
    const outer = await tempDir();
    const slot = join(outer, "slot");
    await mkdir(slot);
    await symlink(outer, join(slot, "link"));
    const task = makeTask({ files: [{ path: "link/out.txt", kind: "create" }] });
    const { result } = await runScripted(task, slot);
    expect(result.ok).toBe(false);
    expect(result.reason).toContain("refusing to write outside the worktree: link/out.txt");
    expect(existsSync(join(outer, "out.txt"))).toBe(false);
  });

  it("generates 500 lines from a template (e2e-test-07)", async () => {
    const { result, slot } = await runScripted(
      makeTask({
        files: [{ path: "test-artifacts/large.txt", kind: "create" }],
        implementation:
          "Create `test-artifacts/large.txt` with 500 lines. Each line should follow this format:\n" +
          '"Line {n}: Lorem ipsum dolor sit amet, consectetur adipiscing elit."\n\nWhere {n} is the line number from 1 to 500.',
      }),
    );
    expect(result.ok).toBe(true);
    const lines = (await readFile(join(slot, "test-artifacts/large.txt"), "utf8")).split("\n");
    expect(lines).toHaveLength(501);
    expect(lines[499]).toBe("Line 500: Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
  });

  it("changes nothing and succeeds for a read-only task (e2e-test-09)", async () => {
    const { result, slot } = await runScripted(
      makeTask({
        files: [{ path: "README.md", kind: "read" }],
        implementation: "Confirm that README.md exists.",
      }),
    );
    expect(result.ok).toBe(true);
    expect(await readdir(slot)).toEqual([]);
  });

  it("fails clearly on a task file that is not a task", async () => {
    const outer = await tempDir();
    const r = await runAgent(
      scriptedPreset(),
      {
        runId: "exec_s",
        taskId: "9.9",
        slotDir: outer,
        prompt: "",
        promptFile: join(outer, "prompt.md"),
        taskFile: join(outer, "task.json"),
        env: {},
      },
      { logPath: join(outer, "agent.log"), task: { hello: "world" } },
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toBe(
      "exited with code 1: scripted agent: the task file is not a PlanTask (it needs an id and files)",
    );
  });
});
