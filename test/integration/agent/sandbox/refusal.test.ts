/**
 * Where bubblewrap cannot start a sandbox, `--mode sandbox` refuses to start (recording nothing) with a
 * message that says what to install: never a fall-back to running the agents unconfined.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeSandbox } from "../../../../src/agent/index.js";
import { openRepoStore } from "../../../../src/engine/index.js";
import { makeRepo } from "../../../helpers/git-repo.js";
import { runPlan } from "../../../helpers/orchard.js";

/** A PATH with git, node and a shell but no bubblewrap, for this file's process. */
let bin = "";
const savedPath = process.env.PATH;
beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), "orchard-no-bwrap-"));
  for (const tool of ["git", "node", "bash", "sh"]) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  process.env.PATH = bin;
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(bin, { recursive: true, force: true });
});

describe("without bubblewrap", () => {
  it("the probe says what to install", async () => {
    const support = await probeSandbox({ PATH: bin });
    expect(support.available).toBe(false);
    expect(support.problem).toMatch(/bubblewrap \(bwrap\) is not on PATH: install bubblewrap/);
    expect(support.problem).toContain("apt-get install bubblewrap");
  });

  it("a sandbox run refuses to start, records no run, and runs no agent", async () => {
    const repo = await makeRepo();
    try {
      const plan = "## Batch 1: A\n\n### Task 1.1: A\n**Files:**\n- Create: `a.txt`\n\nA.\n";
      await expect(runPlan(repo.dir, plan, { mode: "sandbox" })).rejects.toMatchObject({
        code: "SANDBOX_UNAVAILABLE",
        message: expect.stringMatching(/--mode sandbox cannot start: bubblewrap .* install bubblewrap/),
      });
      const store = await openRepoStore(repo.dir);
      try {
        expect(await store.listRuns()).toEqual([]);
      } finally {
        await store.close();
      }
      expect(await repo.git(["branch", "--list", "orchard/*"])).toBe("");
    } finally {
      await repo.cleanup();
    }
  });
});
