import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAgent, scriptedPreset } from "../../../src/agent/index.js";
import { type PlanTask, parsePlan } from "../../../src/plan/index.js";
import { useTempDirs } from "./helpers.js";

/**
 * Every seed plan, parsed by the real parser, every task carried out by the scripted agent as a real
 * process in its own temp slot, and every file it leaves checked.
 */
const SEED_DIR = "/work/shared/plans/seed";

type Expect = { ok: boolean; files?: Record<string, string | ((text: string) => void)>; reason?: string };

const lines500 = (make: (n: number) => string) => (text: string) => {
  const lines = text.split("\n");
  expect(lines).toHaveLength(501);
  expect(lines[0]).toBe(make(1));
  expect(lines[499]).toBe(make(500));
};
const json = (text: string) => expect(() => JSON.parse(text)).not.toThrow();
const refused = (path: string) => `refusing to write outside the worktree: ${path}`;

const EXPECTED: Record<string, Record<string, Expect>> = {
  "e2e-test-01.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/hello.txt": "Hello from E2E Test 1\nCreated: 2026-01-13\n" },
    },
  },
  "e2e-test-02.md": {
    "1.1": {
      ok: true,
      files: {
        "test-artifacts/file-a.txt": "File A content\n",
        "test-artifacts/file-b.txt": "File B content\n",
        "test-artifacts/file-c.txt": "File C content\n",
      },
    },
  },
  "e2e-test-03.md": {
    "1.1": { ok: true, files: { "test-artifacts/first.txt": "Task 1 complete\n" } },
    "1.2": { ok: true, files: { "test-artifacts/second.txt": "Task 2 complete - after Task 1\n" } },
  },
  "e2e-test-04.md": { "1.1": { ok: false, files: {}, reason: refused("/root/forbidden/test.txt") } },
  "e2e-test-05.md": {
    "1.1": {
      ok: false,
      files: { "test-artifacts/temp.txt": "Temporary file\n" },
      reason: refused("/invalid/path/test.txt"),
    },
  },
  "e2e-test-06.md": {},
  "e2e-test-07.md": {
    "1.1": {
      ok: true,
      files: {
        "test-artifacts/large.txt": lines500(
          (n) => `Line ${n}: Lorem ipsum dolor sit amet, consectetur adipiscing elit.`,
        ),
      },
    },
  },
  "e2e-test-08.md": {
    "1.1": { ok: true, files: { "test-artifacts/file with spaces & (special).txt": "Special chars test\n" } },
  },
  "e2e-test-09.md": { "1.1": { ok: true, files: {} } },
  "error-handling-test.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/error-test-valid.txt": "Error Test - Valid File\nThis task should succeed\n" },
    },
    "1.2": { ok: false, files: {}, reason: refused("/invalid/absolute/path/cannot-create.txt") },
  },
  "large-file-test.md": {
    "1.1": {
      ok: true,
      files: {
        "test-artifacts/large-file.txt": lines500(
          (n) =>
            `Line ${n}: This is line number ${n} of the large file test. Lorem ipsum dolor sit amet, consectetur adipiscing elit.`,
        ),
      },
    },
  },
  "multi-file-test.md": {
    "1.1": {
      ok: true,
      files: {
        "test-artifacts/multi-file-1.txt":
          "Multi-File Test - File 1\nThis is the first file in the multi-file test.\n",
        "test-artifacts/multi-file-2.txt":
          "Multi-File Test - File 2\nThis is the second file in the multi-file test.\n",
        "test-artifacts/multi-file-3.json": (text) => {
          json(text);
          expect(JSON.parse(text).file_number).toBe(3);
        },
      },
    },
  },
  "parallel-test-2tasks.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/parallel-alpha.txt": "Parallel Test Alpha\nTask: 1.1\nWorker: Independent\n" },
    },
    "1.2": {
      ok: true,
      files: { "test-artifacts/parallel-beta.txt": "Parallel Test Beta\nTask: 1.2\nWorker: Independent\n" },
    },
  },
  "parallel-test-3tasks.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/parallel-one.txt": "Parallel Test One\nTask: 1.1\nWorker: Independent\n" },
    },
    "1.2": {
      ok: true,
      files: { "test-artifacts/parallel-two.txt": "Parallel Test Two\nTask: 1.2\nWorker: Independent\n" },
    },
    "1.3": {
      ok: true,
      files: { "test-artifacts/parallel-three.txt": "Parallel Test Three\nTask: 1.3\nWorker: Independent\n" },
    },
  },
  "test-plan-01.md": {
    "1.1": {
      ok: true,
      files: {
        "test-artifacts/hello.txt":
          "Hello, Pipeline!\nThis file was created by the autonomous execution pipeline.\n",
      },
    },
    "1.2": {
      ok: true,
      files: {
        "test-artifacts/hello.py": (t) =>
          expect(t).toMatch(/^#!\/usr\/bin\/env python3\n[\s\S]*exit\(main\(\)\)\n$/),
      },
    },
    "2.1": {
      ok: true,
      files: { "test-artifacts/config.json": (t) => expect(JSON.parse(t).settings.verbose).toBe(true) },
    },
  },
  "worktree-isolation-test.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/parallel-test-1.txt": (t) => expect(t).toMatch(/^Parallel Test 1\n/) },
    },
    "1.2": {
      ok: true,
      files: { "test-artifacts/parallel-test-2.txt": (t) => expect(t).toMatch(/^Parallel Test 2\n/) },
    },
  },
  "worktree-test-1.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/worktree-test-1.txt": "Worktree Test 1\nCreated in isolated worktree\n" },
    },
  },
  "worktree-test-2.md": {
    "1.1": {
      ok: true,
      files: { "test-artifacts/worktree-test-2.txt": "Worktree Test 2\nCreated in isolated worktree\n" },
    },
  },
};

const tempDir = useTempDirs();

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function runTask(task: PlanTask) {
  const outer = await tempDir();
  const slot = join(outer, "slot");
  await mkdir(slot);
  const result = await runAgent(
    scriptedPreset(),
    {
      runId: "exec_seed",
      taskId: task.id,
      slotDir: slot,
      prompt: "",
      promptFile: join(outer, "attempt", "prompt.md"),
      taskFile: join(outer, "attempt", "task.json"),
      env: {},
    },
    { logPath: join(outer, "attempt", "agent.log"), task, timeoutMs: 60_000 },
  );
  return { result, slot, outer };
}

describe("scripted agent on every seed plan", () => {
  const plans = readdirSync(SEED_DIR).filter((f) => f.endsWith(".md"));

  it("has an expectation for every seed plan", () => {
    expect(plans.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of plans) {
    it(`carries out ${name}`, async () => {
      const plan = parsePlan(readFileSync(join(SEED_DIR, name), "utf8"), { source: join(SEED_DIR, name) });
      const expected = EXPECTED[name] ?? {};
      const runnable = plan.tasks.filter((t) => !t.skip);
      expect(runnable.map((t) => t.id).sort()).toEqual(Object.keys(expected).sort());
      await Promise.all(
        runnable.map(async (task) => {
          const want = expected[task.id]!;
          const { result, slot, outer } = await runTask(task);
          expect({ task: task.id, ok: result.ok, reason: result.reason }).toMatchObject({
            task: task.id,
            ok: want.ok,
            ...(want.reason ? { reason: `exited with code 1: ${want.reason}` } : {}),
          });
          const files = want.files ?? {};
          expect(await listFiles(slot)).toEqual(Object.keys(files).sort());
          for (const [path, check] of Object.entries(files)) {
            const text = await readFile(join(slot, path), "utf8");
            if (typeof check === "string") expect(text).toBe(check);
            else check(text);
          }
          expect((await readdir(outer)).sort()).toEqual(["attempt", "slot"]);
        }),
      );
    });
  }
});
