import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { EventBus, openRepoStore, resumeRun, startRun } from "../../src/engine/index.js";
import { parsePlan } from "../../src/plan/index.js";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, landedTaskIds } from "../helpers/orchard.js";

/**
 * A resumed run's integration branch is checked before any agent runs: `orchard clean` deleting it is
 * repaired from the store, a branch moved elsewhere or a commit gone is refused, and nothing is spent.
 */
const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const PLAN = [1, 2]
  .map((i) => `### Task ${i}: T${i}\n**Files:**\n- Create: \`out-${i}.txt\`\n\nx\n`)
  .join("\n");
const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 200 out-{task_id}.txt`;
const options = { agent: "command", agentCommand: agent, workers: 1 } as const;

/** A run stopped once its first task has started: task 1 lands, task 2 stays pending. */
async function interruptedRun(repo: TestRepo) {
  const bus = new EventBus();
  const handle = await startRun(
    { repo: repo.dir, plan: parsePlan(PLAN, { source: "plan.md" }), options },
    { bus },
  );
  bus.on((e) => {
    if (e.type === "task:started" && e.taskId === "1") handle.stop("test");
  });
  const result = await handle.done;
  expect(result.status).toBe("interrupted");
  expect(result.tasks.map((t) => t.status)).toEqual(["landed", "pending"]);
  return result;
}

const git = (repo: TestRepo, ...args: string[]) => execa("git", args, { cwd: repo.dir });

async function attempts(repo: TestRepo, runId: string): Promise<number> {
  const store = await openRepoStore(repo.dir);
  try {
    return (await store.listAttempts(runId as never)).length;
  } finally {
    await store.close();
  }
}

describe("resuming a run whose integration branch is not where the store says", () => {
  it("makes a deleted integration branch again (orchard clean) and lands the rest on it", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const first = await interruptedRun(repo);
    await git(repo, "branch", "-D", first.integrationBranch);
    const handle = await resumeRun({ repo: repo.dir, runId: first.runId });
    const result = await handle.done;
    expect(result.status).toBe("succeeded");
    expect(await landedTaskIds(repo.dir, result.integrationBranch)).toEqual(["1", "2"]);
  });

  it("refuses, before any agent runs, a branch moved to a commit without the landed work", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const first = await interruptedRun(repo);
    const before = await attempts(repo, first.runId);
    const base = (await git(repo, "rev-parse", "HEAD")).stdout;
    await git(repo, "branch", "-f", first.integrationBranch, base);
    await expect(resumeRun({ repo: repo.dir, runId: first.runId })).rejects.toMatchObject({
      code: "REPO_INVALID",
      message: expect.stringContaining(`git branch -f ${first.integrationBranch} ${first.integrationHead}`),
    });
    expect(await attempts(repo, first.runId)).toBe(before);
  });

  it("refuses a deleted branch whose commit is gone from the repository", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const first = await interruptedRun(repo);
    const before = await attempts(repo, first.runId);
    await git(repo, "branch", "-D", first.integrationBranch);
    await git(repo, "reflog", "expire", "--expire=now", "--all");
    await git(repo, "gc", "-q", "--prune=now");
    await expect(resumeRun({ repo: repo.dir, runId: first.runId })).rejects.toMatchObject({
      code: "REPO_INVALID",
      message: expect.stringMatching(/was deleted and its commit \w+ is no longer in the repository/),
    });
    expect(await attempts(repo, first.runId)).toBe(before);
  });
});
