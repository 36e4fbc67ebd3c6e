import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activePulls, EventBus, openRepoStore, resumeRun } from "../../src/engine/index.js";
import { pushBranch } from "../../src/forge/index.js";
import { Git } from "../../src/git/index.js";
import { GitHubStandIn } from "../fixtures/github/stand-in.js";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { runPlan } from "../helpers/orchard.js";
import { Client, serveRepo, waitFor } from "../helpers/server.js";
import { sampleArgv } from "../integration/forge/proc.js";

const TOKEN = "ghp_plantedE2EToken0987654321SECRETzyxw";

const THREE_TASKS = `# Widgets

## Batch 1: Parts
**Execution Mode:** parallel

### Task 1.1: Add one
**Files:**
- Create: \`src/one.txt\`

**Verification:**
- \`test -f src/one.txt\`

### Task 1.2: Add two
**Files:**
- Create: \`src/two.txt\`

## Batch 2: Assembly
**Dependencies:** Batch 1

### Task 2.1: Add three
**Depends on:** Task 1.1
**Files:**
- Create: \`src/three.txt\`
`;

const CONFLICTING = `# Widgets

## Batch 1: Same file
**Execution Mode:** parallel

### Task 1.1: First line
**Files:**
- Modify: \`src/a.txt\`

### Task 1.2: Second line
**Files:**
- Modify: \`src/a.txt\`
`;

/** Every file under `dir` (binary too: the SQLite store, logs, refs, objects) that holds `needle`. */
async function filesHolding(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => Buffer.alloc(0));
    if (bytes.includes(needle)) found.push(path);
  }
  return found;
}

describe("landing on GitHub (--land pr | run-pr) against the stand-in", () => {
  let github: GitHubStandIn;
  let repo: TestRepo;
  const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, GH_TOKEN: process.env.GH_TOKEN };

  beforeEach(async () => {
    github = await new GitHubStandIn(TOKEN).start();
    repo = await makeRepo({ files: { "README.md": "# widgets\n", "src/a.txt": "a\n" } });
    await repo.git(["remote", "add", "origin", github.gitUrl]);
    await pushBranch(new Git(repo.dir), {
      remote: "origin",
      commit: repo.head,
      branch: "main",
      token: TOKEN,
    });
    process.env.GITHUB_TOKEN = TOKEN;
    delete process.env.GH_TOKEN;
  });
  afterEach(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const violations = [...github.violations];
    await github.stop();
    await repo.cleanup();
    expect(violations, "requests or responses off GitHub's API description").toEqual([]);
  });

  it("--land pr --merge squash: three pull requests opened and merged in order, bodies as documented, the token nowhere", async () => {
    github.mergeableNullPolls = 1;
    const sampler = sampleArgv();
    // Each push waits for a whole pass over /proc, so its git processes are seen for certain.
    github.gitGate = () => sampler.pass();
    const { result, events } = await runPlan(repo.dir, THREE_TASKS, {
      workers: 2,
      land: "pr",
      mergeMethod: "squash",
      githubApiUrl: github.apiUrl,
    });
    const argv = await sampler.stop();
    expect(result.status).toBe("succeeded");
    expect(result.pulls?.map((p) => [p.taskId, p.number, p.state])).toEqual([
      ["1.1", 1, "merged"],
      ["1.2", 2, "merged"],
      ["2.1", 3, "merged"],
    ]);
    const pulls = github.pullRequests();
    expect(pulls.map((p) => [p.head, p.base, p.labels])).toEqual([
      [`orchard/${result.runId}/tasks/1.1`, "main", ["orchard"]],
      [`orchard/${result.runId}/tasks/1.2`, "main", ["orchard"]],
      [`orchard/${result.runId}/tasks/2.1`, "main", ["orchard"]],
    ]);
    expect(pulls[0]?.title).toBe("Task 1.1: Add one");
    expect(pulls[0]?.body).toContain("**1.1**");
    expect(pulls[0]?.body).toContain("`src/one.txt`");
    expect(pulls[0]?.body).toContain("✅ `test -f src/one.txt`");
    expect(pulls[0]?.body).toContain("| scripted |");
    expect(pulls[0]?.body).toContain(`orchard status ${result.runId}`);
    expect(pulls[2]?.body).toContain("**Depends on:** #1 (task 1.1)");
    // Merged in order: main's history is the three squash commits, oldest first.
    expect((await github.git(["log", "--format=%s", "main"])).split("\n")).toEqual([
      "Task 2.1: Add three (#3)",
      "Task 1.2: Add two (#2)",
      "Task 1.1: Add one (#1)",
      "initial",
    ]);
    for (const file of ["src/one.txt", "src/two.txt", "src/three.txt"]) {
      expect(await github.git(["cat-file", "-t", `main:${file}`])).toBe("blob");
    }
    expect(
      events.filter((e) => e.type === "forge:pull").map((e) => e.type === "forge:pull" && e.state),
    ).toEqual(["merged", "merged", "merged"]);
    // Pushed by URL: no remote-tracking refs written into the user's repository.
    expect(await repo.git(["for-each-ref", "--format=%(refname)", "refs/remotes/origin/orchard/"])).toBe("");

    // The token: in no process's argv while the run ran, no file Orchard wrote (store, logs, refs),
    // no event, and no API response.
    expect(argv.some((a) => a.includes("git") && a.includes("push"))).toBe(true);
    expect(argv.filter((a) => a.includes(TOKEN))).toEqual([]);
    expect(await filesHolding(repo.dir, TOKEN)).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(github.requests.filter((r) => r.responseBody.includes(TOKEN))).toEqual([]);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it("a conflict once the earlier pull request merged is retried: the resolved task replayed on the new base, force-pushed with lease, merged", async () => {
    const { result, events } = await runPlan(repo.dir, CONFLICTING, {
      workers: 2,
      fileGuard: false,
      land: "pr",
      mergeMethod: "squash",
      githubApiUrl: github.apiUrl,
    });
    expect(result.status).toBe("succeeded");
    expect(events.some((e) => e.type === "task:conflict")).toBe(true);
    expect(result.pulls?.map((p) => p.state)).toEqual(["merged", "merged"]);
    const a = await github.git(["show", "main:src/a.txt"]);
    expect(a).toContain("task 1.1");
    expect(a).toContain("task 1.2");
    // The second pull request's head was replaced on GitHub (the replay), not the task's own commit.
    const second = result.tasks.find((t) => t.taskId === result.pulls?.[1]?.taskId);
    const pushed = await github.git(["rev-parse", `orchard/${result.runId}/tasks/${second?.taskId}`]);
    expect(pushed).not.toBe(second?.resultCommit);
  });

  it("a pull request that cannot merge is reported with GitHub's reason and left open", async () => {
    github.requiredChecks = ["ci"];
    github.checks = { ci: [{ status: "completed", conclusion: "failure" }] };
    const { result } = await runPlan(repo.dir, THREE_TASKS, {
      land: "pr",
      mergeMethod: "squash",
      githubApiUrl: github.apiUrl,
    });
    expect(result.pulls?.map((p) => p.state)).toEqual(["blocked", "open", "open"]);
    expect(result.pulls?.[0]?.reason).toMatch(/checks failed on #1: ci/);
    expect(github.pullRequests().every((p) => p.state === "open")).toBe(true);
    // The API's active_prs reads them from the store's event log.
    const store = await openRepoStore(repo.dir);
    try {
      const active = await activePulls(store, result.runId);
      expect(active.map((p) => [p.taskId, p.number])).toEqual([
        ["1.1", 1],
        ["1.2", 2],
        ["2.1", 3],
      ]);
      expect(active[0]?.reason).toMatch(/checks failed/);
    } finally {
      await store.close();
    }
  });

  it("--land run-pr: one pull request for the integration branch with a row for every task", async () => {
    const { result } = await runPlan(repo.dir, THREE_TASKS, { land: "run-pr", githubApiUrl: github.apiUrl });
    expect(result.status).toBe("succeeded");
    const pulls = github.pullRequests();
    expect(pulls).toHaveLength(1);
    expect(pulls[0]?.head).toBe(`orchard/${result.runId}/integration`);
    for (const row of [
      "| 1.1 | Add one | landed |",
      "| 1.2 | Add two | landed |",
      "| 2.1 | Add three | landed |",
    ]) {
      expect(pulls[0]?.body).toContain(row);
    }
    expect(await github.git(["rev-parse", `orchard/${result.runId}/integration`])).toBe(
      result.integrationHead,
    );
  });

  it("a failure while publishing leaves the run resumable; resume reuses the pull requests already opened", async () => {
    // GitHub refuses the first labelling: the run stops after opening #1.
    github.inject({
      operationId: "issues/add-labels",
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ code: "invalid", field: "labels" }],
        documentation_url: "x",
      },
    });
    const first = await runPlan(repo.dir, THREE_TASKS, {
      land: "pr",
      mergeMethod: "squash",
      githubApiUrl: github.apiUrl,
    });
    expect(first.result.status).toBe("interrupted");
    expect(first.result.reason).toMatch(/landing on GitHub failed.*orchard resume/);
    expect(github.pullRequests()).toHaveLength(1);

    const handle = await resumeRun({ repo: repo.dir, runId: first.result.runId }, { bus: new EventBus() });
    const resumed = await handle.done;
    expect(resumed.status).toBe("succeeded");
    expect(resumed.pulls?.map((p) => [p.number, p.state])).toEqual([
      [1, "merged"],
      [2, "merged"],
      [3, "merged"],
    ]);
    expect(github.pullRequests()).toHaveLength(3);
    expect(github.pull(1)?.labels).toEqual(["orchard"]);
  });

  it("the original API's auto_merge on a server started with --land pr: true merges, false leaves them open in active_prs", async () => {
    await repo.write("plans/three.md", THREE_TASKS);
    const head = await repo.commit("plan");
    await pushBranch(new Git(repo.dir), { remote: "origin", commit: head, branch: "main", token: TOKEN });
    const server = await serveRepo(repo.dir, {
      runOptions: { agent: "scripted", land: "pr", githubApiUrl: github.apiUrl },
    });
    try {
      const api = new Client(server.url);
      const finished = async (autoMerge: boolean) => {
        const start = await api.post("/api/v1/autonomous/start", {
          plan_path: "plans/three.md",
          auto_merge: autoMerge,
        });
        expect(start.status).toBe(200);
        const id = start.body.execution_id as string;
        return waitFor("the execution to finish", async () => {
          const r = await api.get(`/api/v1/autonomous/${id}/status`);
          return ["complete", "failed", "cancelled", "interrupted"].includes(r.body.status)
            ? r.body
            : undefined;
        });
      };
      const merged = await finished(true);
      expect(merged.status).toBe("complete");
      expect(merged.active_prs).toEqual([]);
      expect(github.pullRequests().map((p) => p.merged)).toEqual([true, true, true]);

      const open = await finished(false);
      expect(open.status).toBe("complete");
      expect(
        open.active_prs.map((p: { task_number: string; pr_number: number }) => [p.task_number, p.pr_number]),
      ).toEqual([
        ["1.1", 4],
        ["1.2", 5],
        ["2.1", 6],
      ]);
      expect(
        github
          .pullRequests()
          .slice(3)
          .map((p) => p.state),
      ).toEqual(["open", "open", "open"]);
    } finally {
      await server.close();
    }
  });

  it("a task whose verification prints the token's variable leaves no trace of it in the logs or the pull request", async () => {
    const plan = `# Leaky

### Task 1: Print the environment
**Files:**
- Create: \`src/env.txt\`

**Verification:**
- \`echo "token is $GITHUB_TOKEN"\`
`;
    const { result, events } = await runPlan(repo.dir, plan, { land: "pr", githubApiUrl: github.apiUrl });
    expect(result.status).toBe("succeeded");
    // The command ran and its output was logged, masked.
    expect((await filesHolding(repo.dir, "token is ")).length).toBeGreaterThan(0);
    expect(await filesHolding(repo.dir, TOKEN)).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(
      github.requests.filter((r) => r.requestBody.includes(TOKEN) || r.responseBody.includes(TOKEN)),
    ).toEqual([]);
  });

  it("refuses to start without a token, saying what to set", async () => {
    delete process.env.GITHUB_TOKEN;
    await expect(runPlan(repo.dir, THREE_TASKS, { land: "pr", githubApiUrl: github.apiUrl })).rejects.toThrow(
      /GITHUB_TOKEN/,
    );
  });
});
