import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const PLAN = "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n";

async function repoWithPlan(): Promise<TestRepo> {
  const repo = await makeRepo();
  repos.push(repo);
  await repo.write("plan.md", PLAN);
  return repo;
}

describe("messages a new user stumbles over (issue 21 item 5)", () => {
  it("--workers 0 and -1 say the least it may be, not the validator's wording", async () => {
    const repo = await repoWithPlan();
    for (const n of ["0", "-1"]) {
      const r = await cli(repo.dir, ["run", "plan.md", "--agent", "scripted", "--workers", n]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--workers must be at least 1, got ${n}`);
      expect(r.stderr).not.toMatch(/whole number|Too small|expected number/);
    }
  });

  it("--base naming nothing says so, rather than asking whether there is a commit", async () => {
    const repo = await repoWithPlan();
    const r = await cli(repo.dir, ["run", "plan.md", "--agent", "scripted", "--base", "typo"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base typo: no such commit, branch or tag/);
    expect(r.stderr).not.toMatch(/is there a commit/);
  });

  it("--repo naming a missing directory says so, rather than 'not inside a git work tree'", async () => {
    const repo = await repoWithPlan();
    for (const cmd of [["run", "plan.md", "--agent", "scripted"], ["status"]]) {
      const r = await cli(repo.dir, [...cmd, "--repo", "no-such-dir"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--repo no-such-dir: no such directory/);
      expect(r.stderr).not.toMatch(/work tree/);
    }
  });

  it("run --help shows the defaults", async () => {
    const r = await cli(process.cwd(), ["run", "--help"]);
    expect(r.code).toBe(0);
    // Help wraps at the terminal's width: compare with the line breaks folded.
    const help = r.stdout.replace(/\s+/g, " ");
    expect(help).toContain("--workers <n> parallel workers (default 3)");
    expect(help).toContain("--max-attempts <n> attempts per task (default 2)");
    expect(help).toContain("wall-clock limit per agent run, seconds (default 1800)");
    expect(help).toContain("--on-conflict <policy> retry | fail (default retry)");
  });

  it("the run list has a header row", async () => {
    const repo = await repoWithPlan();
    await cli(repo.dir, ["run", "plan.md", "--agent", "scripted", "--json"]);
    const r = await cli(repo.dir, ["status"]);
    expect(r.code).toBe(0);
    const [head, row] = r.stdout.split("\n");
    expect(head).toMatch(/^RUN\s+STATUS\s+LANDED\s+CREATED\s+PLAN$/);
    expect(row).toMatch(/^exec_\S+\s+succeeded\s+1\/1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S*plan\.md$/);
  });

  it("plan check warns that a batch's **Execution Mode:** local is not applied: --workers decides (item 6)", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write(
      "plan.md",
      "## Batch 1: A\n**Dependencies:** None\n**Execution Mode:** local\n\n### Task 1.1: a\n**Files:** `a.ts`\n\nx\n",
    );
    const r = await cli(repo.dir, ["plan", "check", "plan.md"]);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      "**Execution Mode:** local on batch 1 is not applied: the run's --workers decides how many tasks run at once",
    );
  });
});
