import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, snapshotCheckout, type TestRepo } from "../helpers/git-repo.js";
import { runPlan } from "../helpers/orchard.js";

const repos: TestRepo[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const onePlan = `# One task

## Batch 1: Work

### Task 1.1: Do it
Do it.
`;

/** A command agent that runs `script` with sh in its slot. */
async function scriptAgent(script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "orchard-agent-"));
  dirs.push(dir);
  await writeFile(join(dir, "agent.sh"), script);
  return `sh ${join(dir, "agent.sh")}`;
}

async function repo() {
  const r = await makeRepo();
  repos.push(r);
  return r;
}

describe("the user's checkout under misbehaving agents (issue 20)", () => {
  it("an agent that deletes its slot's .git fails the task; the user's work is never committed", async () => {
    const r = await repo();
    await r.write("src/a.ts", "the user's unstaged work\n");
    await r.write("mine.txt", "untracked, the user's\n");
    const before = await snapshotCheckout(r.dir);
    const agentCommand = await scriptAgent("rm -f .git\necho task > task.txt\n");
    const { result } = await runPlan(r.dir, onePlan, { agent: "command", agentCommand, maxAttempts: 1 });
    expect(result.status).not.toBe("succeeded");
    const task = result.tasks.find((t) => t.taskId === "1.1")!;
    expect(task.status).toBe("failed");
    expect(task.reason).toMatch(/no longer the worktree Orchard made/);
    expect(await snapshotCheckout(r.dir)).toEqual(before);
  });
});

describe("refusals before a run starts (issue 19)", () => {
  it("a branch named orchard, loose or packed, is refused with what to do", async () => {
    const r = await repo();
    await r.git(["branch", "orchard"]);
    const agentCommand = await scriptAgent("echo x > x.txt\n");
    await expect(runPlan(r.dir, onePlan, { agent: "command", agentCommand })).rejects.toThrow(
      /a branch named `orchard` exists/,
    );
    await r.git(["pack-refs", "--all"]);
    await expect(runPlan(r.dir, onePlan, { agent: "command", agentCommand })).rejects.toThrow(
      /git branch -m orchard/,
    );
    expect((await r.git(["for-each-ref", "refs/heads/orchard/"])).trim()).toBe("");
  });

  it("GIT_DIR in the environment is refused, not silently ignored", async () => {
    const r = await repo();
    const agentCommand = await scriptAgent("echo x > x.txt\n");
    process.env.GIT_DIR = join(r.dir, ".git");
    try {
      await expect(runPlan(r.dir, onePlan, { agent: "command", agentCommand })).rejects.toThrow(
        /GIT_DIR is set.*Unset GIT_DIR/,
      );
    } finally {
      delete process.env.GIT_DIR;
    }
  });
});

describe("the repository's commit hooks", () => {
  it("are skipped on Orchard's commits by default and run with commitHooks", async () => {
    const r = await repo();
    const hook = join(r.dir, ".git", "hooks", "pre-commit");
    await writeFile(hook, "#!/bin/sh\necho 'pre-commit says no' >&2\nexit 1\n", { mode: 0o755 });
    const agentCommand = await scriptAgent("echo x > x.txt\n");
    const off = await runPlan(r.dir, onePlan, { agent: "command", agentCommand, maxAttempts: 1 });
    expect(off.result.status).toBe("succeeded");
    const on = await runPlan(r.dir, onePlan, {
      agent: "command",
      agentCommand,
      maxAttempts: 1,
      commitHooks: true,
    });
    const task = on.result.tasks.find((t) => t.taskId === "1.1")!;
    expect(task.status).toBe("failed");
    expect(task.reason).toMatch(/pre-commit says no/);
  });

  it("keep the checkout and its exclude file untouched: state lives in git's directory", async () => {
    const r = await repo();
    const before = await snapshotCheckout(r.dir);
    const agentCommand = await scriptAgent("echo x > x.txt\n");
    const { result } = await runPlan(r.dir, onePlan, { agent: "command", agentCommand });
    expect(result.status).toBe("succeeded");
    expect(await snapshotCheckout(r.dir)).toEqual(before);
    expect(existsSync(join(r.dir, ".orchard"))).toBe(false);
    expect(existsSync(join(r.dir, ".git", "orchard", "orchard.db"))).toBe(true);
  });
});
