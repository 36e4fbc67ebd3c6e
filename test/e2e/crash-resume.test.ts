import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, landedTaskIds, orchard } from "../helpers/orchard.js";

/**
 * Crash and resume, for real: `orchard run` is SIGKILLed at a random moment, then `orchard resume` finishes
 * the run. Every task lands exactly once, git is consistent, and no worktree is left orphaned.
 */
const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const TASKS = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1"];
const plan = `# Crash plan

## Batch 1: First
${["1.1", "1.2", "1.3", "1.4"].map((id) => `### Task ${id}: Make ${id}\n**Files:**\n- Create: \`out-${id}.txt\`\n\nWrite it.\n`).join("\n")}
## Batch 2: Second
**Dependencies:** Batch 1

${["2.1", "2.2", "2.3"].map((id) => `### Task ${id}: Make ${id}\n**Files:**\n- Create: \`out-${id}.txt\`\n\nWrite it.\n`).join("\n")}
## Batch 3: Third
**Dependencies:** Batch 2

### Task 3.1: Make 3.1
**Files:**
- Create: \`out-3.1.txt\`

Write it.
`;

describe("crash and resume", () => {
  it("lands every task exactly once after SIGKILLs at random moments", async () => {
    for (let iteration = 0; iteration < 4; iteration++) {
      const repo = await makeRepo();
      repos.push(repo);
      await repo.write("plan.md", plan);
      const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 250 out-{task_id}.txt`;
      const child = orchard(["run", "plan.md", "--agent-command", agent, "--workers", "3"], {
        cwd: repo.dir,
      });
      // Kill at a random moment after the run exists: anywhere from its first claim to its last merge.
      const killAfter = Math.floor(Math.random() * 1800);
      let timer: NodeJS.Timeout | undefined;
      child.stdout?.on("data", (chunk: Buffer) => {
        if (!timer && chunk.toString().includes(" started: "))
          timer = setTimeout(() => child.kill("SIGKILL"), killAfter);
      });
      const first = await child;
      clearTimeout(timer);

      const runs = JSON.parse((await orchard(["status", "--json"], { cwd: repo.dir })).stdout) as Array<{
        id: string;
        status: string;
      }>;
      expect(runs).toHaveLength(1);
      const runId = runs[0]!.id;
      if (first.exitCode !== 0) {
        const resumed = await orchard(["resume", runId, "--json"], { cwd: repo.dir });
        expect(resumed.exitCode, resumed.all).toBe(0);
      }
      const status = JSON.parse((await orchard(["status", runId, "--json"], { cwd: repo.dir })).stdout) as {
        status: string;
        integrationBranch: string;
        tasks: Array<{ taskId: string; status: string; attempts: unknown[] }>;
      };
      expect(status.status).toBe("succeeded");
      expect(status.tasks.map((t) => t.status)).toEqual(TASKS.map(() => "landed"));

      const landed = await landedTaskIds(repo.dir, status.integrationBranch);
      expect([...landed].sort()).toEqual([...TASKS].sort());
      expect(new Set(landed).size).toBe(landed.length);
      for (const id of TASKS) {
        const { stdout } = await execa("git", ["show", `${status.integrationBranch}:out-${id}.txt`], {
          cwd: repo.dir,
        });
        expect(stdout).toBe("slept 250");
      }

      const fsck = await execa("git", ["fsck", "--no-progress"], { cwd: repo.dir, reject: false });
      expect(fsck.exitCode, fsck.stderr).toBe(0);
      const prune = await execa("git", ["worktree", "prune", "--dry-run", "-v"], { cwd: repo.dir });
      expect(prune.stdout + prune.stderr).toBe("");
      const { stdout: list } = await execa("git", ["worktree", "list", "--porcelain"], { cwd: repo.dir });
      const worktrees = list
        .split("\n")
        .filter((l) => l.startsWith("worktree "))
        .map((l) => l.slice(9));
      for (const wt of worktrees.slice(1))
        expect(wt).toContain(join(repo.dir, ".git", "orchard", "worktrees", "wt-"));
    }
  }, 300_000);
});
