import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, poolDirOf, snapshotCheckout, type TestRepo } from "../helpers/git-repo.js";
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
        // The first agent's start (`task … started in wt-…`): the run's own "started" line is printed
        // before the progress listens, so it never showed and this timer never started.
        if (!timer && / started in /.test(chunk.toString()))
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
      for (const wt of worktrees.slice(1)) expect(wt).toContain(join(poolDirOf(repo.dir), "wt-"));
    }
  }, 300_000);

  it("two crashes in one attempt do not use up the task's attempts (issue 20 item 2)", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", "### Task 1: One\n**Files:**\n- Create: `out-1.txt`\n\nx\n");
    await repo.commit("plan");
    const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 120000 out-{task_id}.txt`;
    const killOnStart = (child: ReturnType<typeof orchard>) =>
      child.stdout?.on("data", (chunk: Buffer) => {
        if (/ started in /.test(chunk.toString())) child.kill("SIGKILL");
      });
    const first = orchard(["run", "plan.md", "--agent-command", agent, "--max-attempts", "1"], {
      cwd: repo.dir,
    });
    killOnStart(first);
    expect((await first).signal).toBe("SIGKILL");
    const runId = JSON.parse((await orchard(["status", "--json"], { cwd: repo.dir })).stdout)[0].id as string;
    const second = orchard(["resume", runId], { cwd: repo.dir });
    killOnStart(second);
    const killedAgain = await second;
    expect(killedAgain.signal, killedAgain.all).toBe("SIGKILL");

    const fast = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1 out-{task_id}.txt`;
    const last = await orchard(["resume", runId, "--agent-command", fast], { cwd: repo.dir });
    expect(last.exitCode, last.all).toBe(0);
    const status = JSON.parse((await orchard(["status", runId, "--json"], { cwd: repo.dir })).stdout);
    expect(status.tasks[0].status).toBe("landed");
  }, 120_000);

  it("a kill during the run's start leaves a run that resume finishes, or none at all", async () => {
    for (let iteration = 0; iteration < 3; iteration++) {
      const repo = await makeRepo();
      repos.push(repo);
      await repo.write("plan.md", plan);
      await repo.commit("plan");
      const before = await snapshotCheckout(repo.dir);
      const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 50 out-{task_id}.txt`;
      const child = orchard(["run", "plan.md", "--agent-command", agent, "--workers", "3"], {
        cwd: repo.dir,
      });
      // Killed between the store's creation and the first agent: the run's record, its integration
      // branch and its slots are being made.
      const store = join(repo.dir, ".git", "orchard", "orchard.db");
      const killAfter = Math.floor(Math.random() * 150);
      const poll = setInterval(() => {
        if (existsSync(store)) {
          clearInterval(poll);
          setTimeout(() => child.kill("SIGKILL"), killAfter);
        }
      }, 5);
      child.stdout?.on("data", (chunk: Buffer) => {
        if (/ started in /.test(chunk.toString())) child.kill("SIGKILL");
      });
      await child;
      clearInterval(poll);
      const runs = JSON.parse((await orchard(["status", "--json"], { cwd: repo.dir })).stdout) as Array<{
        id: string;
      }>;
      expect(runs.length).toBeLessThanOrEqual(1);
      const runId = runs[0]?.id;
      const finished = runId
        ? await orchard(["resume", runId, "--json"], { cwd: repo.dir })
        : await orchard(["run", "plan.md", "--agent-command", agent, "--json"], { cwd: repo.dir });
      expect(finished.exitCode, finished.all).toBe(0);
      const result = JSON.parse(finished.stdout) as { integrationBranch: string };
      const landed = await landedTaskIds(repo.dir, result.integrationBranch);
      expect([...landed].sort()).toEqual([...TASKS].sort());
      const fsck = await execa("git", ["fsck", "--no-progress"], { cwd: repo.dir, reject: false });
      expect(fsck.exitCode, fsck.stderr).toBe(0);
      expect(await snapshotCheckout(repo.dir)).toEqual(before);
    }
  }, 300_000);
});
