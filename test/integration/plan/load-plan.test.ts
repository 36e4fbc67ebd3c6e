import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPlan, PlanError } from "../../../src/plan/index.js";

const dir = mkdtempSync(join(tmpdir(), "orchard-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadError(path: string): Promise<PlanError> {
  try {
    await loadPlan(path);
  } catch (err) {
    if (err instanceof PlanError) return err;
    throw err;
  }
  throw new Error("expected loadPlan to throw");
}

describe("loadPlan", () => {
  it("reads and parses a file, keeping its path as the source", async () => {
    const path = join(dir, "ok.md");
    writeFileSync(path, "\uFEFF# Plan\n\n### Task 1: Only\n\n**Files:** `a.txt`\n");
    const plan = await loadPlan(path);
    expect(plan.source).toBe(path);
    expect(plan.title).toBe("Plan");
    expect(plan.tasks.map((t) => [t.id, t.pos.line])).toEqual([["1", 3]]);
  });

  it("PLAN_FILE_NOT_FOUND for a missing file or a directory", async () => {
    const missing = await loadError(join(dir, "missing.md"));
    expect(missing.code).toBe("PLAN_FILE_NOT_FOUND");
    expect(missing.format()).toBe(`${join(dir, "missing.md")}:1:1: plan file does not exist: check the path`);
    expect((await loadError(dir)).code).toBe("PLAN_FILE_NOT_FOUND");
  });

  it("PLAN_NOT_UTF8 names the line with the bad bytes", async () => {
    const path = join(dir, "latin1.md");
    writeFileSync(
      path,
      Buffer.concat([Buffer.from("# Plan\n\n### Task 1: caf"), Buffer.from([0xe9]), Buffer.from("\n")]),
    );
    const e = await loadError(path);
    expect(e.code).toBe("PLAN_NOT_UTF8");
    expect(e.pos.line).toBe(3);
  });

  it("errors from parsing carry the file name given as source", async () => {
    const path = join(dir, "empty-task.md");
    writeFileSync(path, "### Task 1: nothing\n");
    try {
      await loadPlan(path, { source: "plans/empty-task.md" });
      expect.unreachable();
    } catch (err) {
      expect((err as PlanError).format()).toMatch(
        /^plans\/empty-task\.md:1:1: Task 1 has nothing under its heading/,
      );
    }
  });
});
