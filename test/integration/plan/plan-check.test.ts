import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { hasRealPlans, REAL_PLAN_DIR } from "../../unit/plan/helpers.js";
import { cli } from "../cli/helpers.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SEED = "../shared/plans/seed";
const dir = mkdtempSync(join(tmpdir(), "orchard-plan-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process with captured output, from the repository root. */
const check = (...args: string[]) => cli(REPO, ["plan", "check", ...args]);

const DUPLICATE = "# Dup\n\n## Batch 1: A\n\n### Task 1.1: a\n\ndo a\n\n### Task 1.1: again\n\ndo b\n";

describe("orchard plan check (in-process)", () => {
  it("shows batch 2 depending on batch 1, the tasks and the waves", async () => {
    const r = await check(`${SEED}/test-plan-01.md`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("Test Plan 01: Pipeline Hardening E2E Test");
    expect(r.stdout).toContain("Batch 1: Simple File Creation — depends on: none · execution mode: local");
    expect(r.stdout).toContain("Batch 2: Script Enhancement — depends on: Batch 1 · execution mode: local");
    expect(r.stdout).toContain("  Task 1.2: Create Python Script");
    expect(r.stdout).toMatch(/create +test-artifacts\/hello\.py/);
    expect(r.stdout).toContain("May run at the same time:\n  1. 1.1, 1.2\n  2. 2.1\n");
  });

  it("marks skipped tasks and verification commands", async () => {
    const skipped = await check(`${SEED}/e2e-test-06.md`);
    expect(skipped.stdout).toContain("Task 1.1: Already Done  [skip: completed]");
    const flat = await check("test/fixtures/plans/flat-rate-limiter.md", "--parallel");
    expect(flat.code).toBe(0);
    expect(flat.stdout).toContain("depends on: 1 (inferred from files), 2 (inferred from files)");
    expect(flat.stdout).toContain("depends on: 3 (written)");
    expect(flat.stdout).toContain("verify: $ npx vitest run test/limiter");
    expect(flat.stdout).toContain("  1. 1, 2, 5\n  2. 3, 6\n  3. 4\n");
  });

  it("--json prints the plan and its graph", async () => {
    const r = await check(`${SEED}/test-plan-01.md`, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.plan.batches[1]).toMatchObject({ id: "2", dependsOn: ["1"] });
    expect(json.plan.tasks[1]).toMatchObject({
      id: "1.2",
      title: "Create Python Script",
      files: [{ path: "test-artifacts/hello.py", kind: "create" }],
      dependsOn: [],
      inferredDependsOn: [],
      verification: { commands: [], instructions: ["python test-artifacts/hello.py"] },
      skip: false,
    });
    expect(json.graph.edges["2.1"]).toEqual([
      { on: "1.1", kind: "dep", reason: "batch" },
      { on: "1.2", kind: "dep", reason: "batch" },
    ]);
    expect(json.graph.waves).toEqual([["1.1", "1.2"], ["2.1"]]);
  });

  it("--no-file-guard lets tasks declaring the same file share a wave", async () => {
    const path = join(dir, "shared-file.md");
    writeFileSync(
      path,
      "## Batch 1: A\n\n### Task 1.1: a\n\n**Files:** `f`\n\n### Task 1.2: b\n\n**Files:** `f`\n",
    );
    expect(JSON.parse((await check(path, "--json")).stdout).graph.waves).toEqual([["1.1"], ["1.2"]]);
    expect(JSON.parse((await check(path, "--json", "--no-file-guard")).stdout).graph.waves).toEqual([
      ["1.1", "1.2"],
    ]);
  });

  it("a duplicate task id exits 2 with file:line:col on stderr", async () => {
    const path = join(dir, "dup.md");
    writeFileSync(path, DUPLICATE);
    const r = await check(path);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `${path}:9:1: Task 1.1 is defined twice, at line 5 and line 9: give each task its own id\n`,
    );
    const j = await check(path, "--json");
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toEqual({
      ok: false,
      error: { code: "PLAN_DUPLICATE_TASK", message: expect.any(String), file: path, line: 9, column: 1 },
    });
  });

  it("deeply nested markdown exits 2 with the line, not a stack overflow (issue 20 item 9)", async () => {
    const path = join(dir, "deep.md");
    writeFileSync(path, `### Task 1: a\n**Files:** \`a\`\n\n${"> ".repeat(2600)}x\n`);
    const r = await check(path);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${path}:4:1: line opens 2600 nested quotes or lists (at most 100): flatten it\n`);
  });

  it("a missing file exits 2", async () => {
    const r = await check("no/such/plan.md");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("no/such/plan.md:1:1: plan file does not exist: check the path\n");
  });
});

describe("orchard plan check (spawned)", () => {
  const bin = join(REPO, "bin/orchard-dev");

  it("checks a seed plan and exits 0", async () => {
    const r = await execa(bin, ["plan", "check", `${SEED}/test-plan-01.md`], {
      cwd: REPO,
      reject: false,
      stdin: "ignore",
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Batch 2: Script Enhancement — depends on: Batch 1");
  });

  it("exits 2 naming the line of a duplicate task", async () => {
    writeFileSync(join(dir, "dup2.md"), DUPLICATE);
    const r = await execa(bin, ["plan", "check", "dup2.md"], { cwd: dir, reject: false, stdin: "ignore" });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("dup2.md:9:1: Task 1.1 is defined twice");
  });
});

// The real plans are kept out of Orchard's commits (test/unit/plan/helpers.ts says where they are read from).
describe.skipIf(!hasRealPlans)("orchard plan check on the corpus of real plans", () => {
  it("never crashes: each plan is shown (exit 0) or refused with its line (exit 2)", async () => {
    const dir = relative(REPO, REAL_PLAN_DIR);
    const files = readdirSync(REAL_PLAN_DIR).filter((f) => f.endsWith(".md"));
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) {
      const r = await check(`${dir}/${f}`);
      expect({ f, code: r.code }).toEqual({ f, code: r.code === 2 ? 2 : 0 });
      if (r.code === 2) expect(r.stderr.startsWith(`${dir}/${f}:`)).toBe(true);
    }
  });
});
