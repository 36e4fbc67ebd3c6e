import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { landedTaskIds, runPlan, showFile } from "../../helpers/orchard.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const plan = (fields = "") => `# Reset

## Batch 1: One

### Task 1.1: Change something
${fields}
Change something.
`;

/** Issue 20 item 6: an agent that moves its branch below the base must not be "landed" with no change. */
describe("an agent that resets its branch below the base", () => {
  it("fails the attempt with the reason, and nothing lands", async () => {
    const r = await makeRepo();
    repos.push(r);
    await r.write("second.txt", "second\n");
    const base = (await r.commit("second commit")).trim();
    const { result } = await runPlan(r.dir, plan(), {
      agent: "command",
      agentCommand: "git reset --hard HEAD~1",
      maxAttempts: 1,
    });
    expect(result.status).toBe("failed");
    const task = result.tasks[0]!;
    expect(task.status).toBe("failed");
    expect(task.reason).toContain("no longer descends from its base");
    expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual([]);
    expect((await r.git(["rev-parse", result.integrationBranch])).trim()).toBe(base);
    expect(await showFile(r.dir, result.integrationBranch, "second.txt")).toBe("second\n");
  });
});
