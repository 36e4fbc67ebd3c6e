/**
 * `--mode sandbox` with real escapes: a command agent tries to write into the user's checkout, another
 * slot and HOME, and to read a planted SSH key, AWS credentials and a project's .env. Every try fails,
 * the run lands only the slots' own changes, and no secret appears in anything the run left behind.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepo, poolDirOf, snapshotCheckout } from "../../../helpers/git-repo.js";
import { AGENT_FIXTURES, runPlan, showFile } from "../../../helpers/orchard.js";
import { filesUnder, unavailable, useScratchHome, whereIs } from "./helpers.js";

const problem = await unavailable();
const scratch = useScratchHome();

const plan = ["1.1", "1.2"]
  .map((id) => `### Task ${id}: Escape ${id}\n**Files:**\n- Create: \`done-${id}.txt\`\n\nTry to escape.\n`)
  .join("\n");

describe.skipIf(problem)(`an agent in the sandbox${problem ? ` (skipped: ${problem})` : ""}`, () => {
  it("cannot write outside its slot or read HOME's secrets; only its slot's changes land; no secret leaks", async () => {
    const repo = await makeRepo({ files: { "README.md": "# demo\n" } });
    try {
      const pool = poolDirOf(repo.dir);
      const before = await snapshotCheckout(repo.dir);
      const { result } = await runPlan(repo.dir, `# Escapes\n\n## Batch 1: Escapes\n\n${plan}`, {
        mode: "sandbox",
        workers: 2,
        parallel: true,
        agent: "command",
        agentCommand: `node ${join(AGENT_FIXTURES, "escape.mjs")} ${repo.dir} ${scratch.home} ${pool}`,
      });
      expect(result.status).toBe("succeeded");

      for (const id of ["1.1", "1.2"]) {
        const report = await showFile(repo.dir, result.integrationBranch, `done-${id}.txt`);
        const lines = (report ?? "").trim().split("\n");
        expect(lines.filter((l) => l.startsWith("ESCAPED"))).toEqual([]);
        for (const what of [
          "write checkout file",
          "append checkout README",
          "write home",
          "read ~/.ssh",
          "read orchard state",
        ]) {
          expect(lines.some((l) => l.startsWith(`blocked ${what}`))).toBe(true);
        }
        expect(lines.some((l) => l.startsWith("blocked write other slot"))).toBe(true);
      }
      const changed = await repo.git(["diff", "--name-only", repo.head, result.integrationBranch]);
      expect(changed.trim().split("\n")).toEqual(["done-1.1.txt", "done-1.2.txt"]);

      expect(await snapshotCheckout(repo.dir)).toEqual(before);
      expect(readdirSync(repo.dir).filter((n) => n.startsWith("escaped"))).toEqual([]);
      expect(readdirSync(join(repo.dir, ".git")).filter((n) => n.startsWith("escaped"))).toEqual([]);
      expect(readdirSync(scratch.home).sort()).toEqual([".aws", ".ssh", "project"]);
      expect(filesUnder(pool).filter((f) => f.includes("escaped"))).toEqual([]);
      expect(existsSync(pool)).toBe(true);
      for (const secret of scratch.secrets) expect(whereIs(repo.dir, secret)).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });
});
