import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, snapshotCheckout, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, ORCHARD_BIN, orchard, SEED_DIR } from "../helpers/orchard.js";

/** The real `orchard` process: exit codes scripts can rely on, JSON on reading commands. */
const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

describe("orchard CLI", () => {
  it("run → status → logs → retry → resume → clean, with reliable exit codes", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const before = await snapshotCheckout(repo.dir);

    const ok = await orchard([
      "run",
      join(SEED_DIR, "e2e-test-02.md"),
      "--repo",
      repo.dir,
      "--agent",
      "scripted",
    ]);
    expect(ok.exitCode, ok.all).toBe(0);
    expect(ok.stdout).toMatch(/integration branch: orchard\/exec_\S+\/integration/);

    const bad = await orchard([
      "run",
      join(SEED_DIR, "error-handling-test.md"),
      "--repo",
      repo.dir,
      "--agent",
      "scripted",
      "--max-attempts",
      "1",
    ]);
    expect(bad.exitCode, bad.all).toBe(1);
    expect(bad.stdout).toMatch(/1\.2 .*failed/);

    const runs = JSON.parse((await orchard(["status", "--json", "--repo", repo.dir])).stdout) as Array<{
      id: string;
      status: string;
    }>;
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "failed"]);
    const failedRun = runs[1]!.id;

    const one = JSON.parse((await orchard(["status", failedRun, "--json", "--repo", repo.dir])).stdout) as {
      tasks: Array<{
        taskId: string;
        status: string;
        reason: string | null;
        attempts: Array<{ exitCode: number | null; logPath: string }>;
      }>;
    };
    const t12 = one.tasks.find((t) => t.taskId === "1.2")!;
    expect(t12.status).toBe("failed");
    expect(t12.reason).toMatch(/outside the worktree/);
    expect(t12.attempts[0]?.exitCode).toBe(1);

    const logs = await orchard(["logs", failedRun, "1.2", "--repo", repo.dir]);
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(
      /refusing to write outside the worktree: \/invalid\/absolute\/path\/cannot-create\.txt/,
    );
    const events = JSON.parse(
      (await orchard(["logs", failedRun, "--json", "--repo", repo.dir])).stdout,
    ) as Array<{ seq: number; type: string }>;
    expect(events.map((e) => e.type)).toContain("task:landed");
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));

    const retry = await orchard(["retry", failedRun, "1.2", "--repo", repo.dir]);
    expect(retry.exitCode, retry.all).toBe(0);
    const again = await orchard(["resume", failedRun, "--repo", repo.dir, "--json"]);
    expect(again.exitCode).toBe(1);
    const attempts = JSON.parse(
      (await orchard(["status", failedRun, "--json", "--repo", repo.dir])).stdout,
    ).tasks.find((t: { taskId: string }) => t.taskId === "1.2").attempts;
    expect(attempts).toHaveLength(2);

    expect(await snapshotCheckout(repo.dir)).toEqual(before);
    // Both runs landed work: clean keeps their integration branches (the only copy), --all removes them.
    const orchardRefs = async () =>
      (
        await execa("git", ["for-each-ref", "--format=%(refname:short)", "refs/heads/orchard/"], {
          cwd: repo.dir,
        })
      ).stdout;
    const clean = await orchard(["clean", "--repo", repo.dir]);
    expect(clean.exitCode, clean.all).toBe(0);
    expect((await orchardRefs()).split("\n").sort()).toEqual(
      runs.map((r) => `orchard/${r.id}/integration`).sort(),
    );
    const all = await orchard(["clean", "--all", "--yes", "--repo", repo.dir]);
    expect(all.exitCode, all.all).toBe(0);
    expect(await orchardRefs()).toBe("");
    expect(await snapshotCheckout(repo.dir)).toEqual(before);
  });

  // A terminal's Ctrl-C signals the whole foreground process group: Orchard's helper processes too.
  it.each([
    ["to the orchard process", false],
    ["to its whole process group, as a terminal does", true],
  ])(
    "Ctrl-C (SIGINT %s) stops claiming, lets the running attempt finish and land, and the run resumes",
    async (_, group) => {
      const repo = await makeRepo();
      repos.push(repo);
      const plan = [1, 2, 3]
        .map((i) => `### Task ${i}: T${i}\n**Files:**\n- Create: \`out-${i}.txt\`\n\nx\n`)
        .join("\n");
      await repo.write("plan.md", plan);
      const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1500 out-{task_id}.txt`;
      const child = orchard(["run", "plan.md", "--agent-command", agent, "--workers", "1"], {
        cwd: repo.dir,
        detached: group,
      });
      child.stdout?.on("data", (chunk: Buffer) => {
        if (!chunk.toString().includes("task 1 started")) return;
        if (group) process.kill(-child.pid!, "SIGINT");
        else child.kill("SIGINT");
      });
      const first = await child;
      expect(first.exitCode, first.all).toBe(130);
      const runs = JSON.parse((await orchard(["status", "--json"], { cwd: repo.dir })).stdout) as Array<{
        id: string;
        status: string;
      }>;
      expect(runs[0]?.status).toBe("interrupted");
      const view = JSON.parse(
        (await orchard(["status", runs[0]!.id, "--json"], { cwd: repo.dir })).stdout,
      ) as {
        tasks: Array<{ taskId: string; status: string }>;
      };
      expect(view.tasks.map((t) => t.status)).toEqual(["landed", "pending", "pending"]);
      const resumed = await orchard(["resume", runs[0]!.id], { cwd: repo.dir });
      expect(resumed.exitCode, resumed.all).toBe(0);
    },
  );

  it("exits 2 with a message that says what to fix on usage mistakes", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const missing = await orchard(["run", "nope.md", "--repo", repo.dir]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/nope\.md/);
    const workers = await orchard([
      "run",
      join(SEED_DIR, "e2e-test-01.md"),
      "--repo",
      repo.dir,
      "--workers",
      "many",
    ]);
    expect(workers.exitCode).toBe(2);
    expect(workers.stderr).toMatch(/--workers must be a whole number/);
    const agent = await orchard([
      "run",
      join(SEED_DIR, "e2e-test-01.md"),
      "--repo",
      repo.dir,
      "--agent",
      "nobody",
    ]);
    expect(agent.exitCode).toBe(2);
    expect(agent.stderr).toMatch(/nobody/);
    const run = await orchard(["status", "exec_nope", "--repo", repo.dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/no run exec_nope/);
    const notRepo = await orchard(["status", "--repo", "/"]);
    expect(notRepo.exitCode).toBe(2);
  });

  it("ends quietly when its reader stops early (`orchard status | head`)", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const ok = await orchard([
      "run",
      join(SEED_DIR, "e2e-test-01.md"),
      "--repo",
      repo.dir,
      "--agent",
      "scripted",
    ]);
    expect(ok.exitCode, ok.all).toBe(0);
    const runId = (
      JSON.parse((await orchard(["status", "--json", "--repo", repo.dir])).stdout) as Array<{ id: string }>
    )[0]!.id;
    // The reader is gone before orchard (started from source: a second or so) writes a line.
    const piped = await execa(
      "bash",
      [
        "-c",
        `"$0" status "$1" --repo "$2" | (exit 0); echo "orchard exited $\{PIPESTATUS[0]}"`,
        ORCHARD_BIN,
        runId,
        repo.dir,
      ],
      { reject: false },
    );
    expect(piped.stdout).toBe("orchard exited 0");
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
  });

  it("demo builds a scratch repository and lands the example plan", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const dir = join(repo.dir, "demo");
    const demo = await orchard(["demo", "--dir", dir]);
    expect(demo.exitCode, demo.all).toBe(0);
    expect(demo.stdout).toMatch(/integration branch: orchard\/exec_\S+\/integration/);
    expect(demo.stdout).toMatch(/Merge task 2\.3: Changelog/);
    // The summary counts each task's attempt and its time, as `orchard run`'s does.
    const rows = demo.stdout.split("\n").filter((l) => /^\S*\s*\d\.\d\s.*\blanded\b/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatch(/\blanded\s*\S?\s*1\s*\S?\s*\d+(\.\d+)? m?s\b/);
    const { stdout } = await execa("git", ["ls-tree", "-r", "--name-only", "HEAD"], { cwd: dir });
    expect(stdout.split("\n")).toEqual([".gitignore", "README.md", "plan.md"]);
  });
});
