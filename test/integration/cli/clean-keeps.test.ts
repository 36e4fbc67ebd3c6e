import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { openRepoStore, startRun } from "../../../src/engine/index.js";
import { acquireRunLease, cleanLockName } from "../../../src/engine/run-lease.js";
import { parsePlan } from "../../../src/plan/index.js";
import type { RunId } from "../../../src/store/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES, runPlan } from "../../helpers/orchard.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const orchardRefs = async (dir: string) =>
  (
    await execa("git", ["for-each-ref", "--format=%(refname:short)", "refs/heads/orchard/"], { cwd: dir })
  ).stdout
    .split("\n")
    .filter(Boolean);

const plan = `# Two

## Batch 1: One

### Task 1.1: A
**Files:**
- Create: \`out-1.1.txt\`

x

### Task 1.2: B
**Files:**
- Create: \`out-1.2.txt\`

x
`;
const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1 out-{task_id}.txt`;

async function finishedRun() {
  const repo = await makeRepo();
  repos.push(repo);
  const { result } = await runPlan(repo.dir, plan, { agent: "command", agentCommand: agent });
  expect(result.status).toBe("succeeded");
  return { repo, result };
}

/** Issue 20: clean keeps the only copy of finished work unless asked, and says what it did. */
describe("orchard clean keeps landed work", () => {
  it("keeps a finished run's integration branch, deletes its task branches, and says so in words", async () => {
    const { repo, result } = await finishedRun();
    expect(await orchardRefs(repo.dir)).toContain(result.integrationBranch);
    const r = await cli(repo.dir, ["clean"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await orchardRefs(repo.dir)).toEqual([result.integrationBranch]);
    expect(r.stdout).toContain(
      `kept:\n  ${result.integrationBranch}: holds the landed work of run ${result.runId}`,
    );
    expect(r.stdout).toMatch(/deleted \d+ branch/);
    expect(r.stdout).not.toContain("{");

    const named = await cli(repo.dir, ["clean", "--runs", result.runId]);
    expect(named.code, named.stderr).toBe(0);
    expect(await orchardRefs(repo.dir)).toEqual([]);
    expect(named.stdout).toContain(result.integrationBranch);

    // status no longer shows the deleted branch as if it were there
    const status = await cli(repo.dir, ["status", result.runId]);
    expect(status.stdout).toContain(`${result.integrationBranch} (deleted)`);
    const json = JSON.parse((await cli(repo.dir, ["status", result.runId, "--json"])).stdout);
    expect(json.integrationBranchExists).toBe(false);
  });

  it("--all asks for confirmation: refused without --yes off a terminal, done with it", async () => {
    const { repo, result } = await finishedRun();
    const refused = await cli(repo.dir, ["clean", "--all"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    expect(await orchardRefs(repo.dir)).toContain(result.integrationBranch);
    const done = await cli(repo.dir, ["clean", "--all", "--yes"]);
    expect(done.code, done.stderr).toBe(0);
    expect(await orchardRefs(repo.dir)).toEqual([]);
  });

  it("an unknown run id is a usage error that touches nothing", async () => {
    const { repo, result } = await finishedRun();
    const r = await cli(repo.dir, ["clean", "--runs", "exec_nope"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("no run exec_nope");
    expect(await orchardRefs(repo.dir)).toContain(result.integrationBranch);
  });
});

/** Issue 20 item 4: a run that is starting (created, workers not yet registered) is not cleaned under. */
describe("orchard clean during a run's start", () => {
  it("is refused while a run holds its lease, however early in its start", async () => {
    const { repo } = await finishedRun();
    const store = await openRepoStore(repo.dir);
    const runId = "exec_starting0001" as RunId;
    const lease = await acquireRunLease(store, runId, repo.dir, 60_000);
    try {
      const head = (await repo.git(["rev-parse", "HEAD"])).trim();
      await store.createRun({
        id: runId,
        repo: repo.dir,
        planPath: null,
        planJson: "{}",
        optionsJson: "{}",
        baseCommit: head,
        integrationBranch: `orchard/${runId}/integration`,
        batches: [],
        tasks: [],
      });
      await repo.git(["branch", `orchard/${runId}/integration`, head]);
      const before = await orchardRefs(repo.dir);
      const r = await cli(repo.dir, ["clean"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`run ${runId} is being executed by pid ${process.pid}`);
      expect(await orchardRefs(repo.dir)).toEqual(before);
    } finally {
      await lease.release();
      await store.close();
    }
  });

  it("a run does not start while a clean holds the repository's clean lock", async () => {
    const { repo } = await finishedRun();
    const store = await openRepoStore(repo.dir);
    const owner = `elsewhere:${process.pid}:aaaaaa`;
    expect(await store.tryLock(cleanLockName(repo.dir), owner, 60_000)).toBe(true);
    try {
      const p = parsePlan(plan, { source: "plan.md" });
      await expect(
        startRun({ repo: repo.dir, plan: p, options: { agent: "command", agentCommand: agent } }),
      ).rejects.toThrow(/orchard clean/);
      expect(await store.listRuns()).toHaveLength(1);
    } finally {
      await store.unlock(cleanLockName(repo.dir), owner);
      await store.close();
    }
  });
});
