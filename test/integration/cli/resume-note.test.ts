import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const PLAN =
  "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n\n### Task 2: Two\n**Files:**\n- Create: `two.txt`\n\nx\n";
// Task 2 fails until the file `pass` exists in the checkout the test controls.
const agent = (repo: string) => [
  "--agent-command",
  `sh -c 'test "{task_id}" = 1 || test -e ${repo}/pass && echo done > out-{task_id}.txt'`,
  "--max-attempts",
  "1",
];

describe("orchard resume after the plan file changed", () => {
  it("says that it runs the plan as the run recorded it, and is quiet when the file is unchanged", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", PLAN);
    const first = await cli(repo.dir, ["run", "plan.md", "--json", ...agent(repo.dir)]);
    expect(first.code).not.toBe(0);
    const runId = (JSON.parse(first.stdout) as { runId: string }).runId;

    await cli(repo.dir, ["retry", runId, "2"]);
    const unchanged = await cli(repo.dir, ["resume", runId, "--json"]);
    expect(unchanged.stderr).not.toMatch(/has changed/);

    await cli(repo.dir, ["retry", runId, "2"]);
    await repo.write("plan.md", `${PLAN}\n### Task 3: Three\n**Files:**\n- Create: \`three.txt\`\n\nx\n`);
    await repo.write("pass", "");
    const changed = await cli(repo.dir, ["resume", runId, "--json"]);
    expect(changed.stderr).toContain(
      `note: ${repo.dir}/plan.md has changed since run ${runId} started; resume runs the plan as it was then`,
    );
    expect(changed.code, changed.stderr).toBe(0);
    const result = JSON.parse(changed.stdout) as { tasks: { taskId: string; status: string }[] };
    expect(result.tasks.map((t) => [t.taskId, t.status])).toEqual([
      ["1", "landed"],
      ["2", "landed"],
    ]);
  });
});
