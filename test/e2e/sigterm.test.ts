import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, orchard } from "../helpers/orchard.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const plan = "### Task 1: Slow\n**Files:**\n- Create: `out-1.txt`\n\nx\n";

/** Issue 20: SIGTERM (service managers, CI) stops agents, records, and exits resumable with 143. */
describe("SIGTERM", () => {
  it("stops the agents, records the attempt as interrupted, exits 143, and resume finishes the run", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", plan);
    // A sleep no other test uses, to find its process afterwards.
    const ms = 600_000 + Math.floor(Math.random() * 100_000);
    const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} ${ms} out-{task_id}.txt`;
    const child = orchard(["run", "plan.md", "--agent-command", agent, "--max-attempts", "1"], {
      cwd: repo.dir,
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      if (/ started in /.test(chunk.toString())) child.kill("SIGTERM");
    });
    const first = await child;
    expect(first.exitCode, first.all).toBe(143);
    const agents = await execa("ps", ["-eo", "args"]);
    expect(agents.stdout).not.toContain(`sleep.mjs ${ms}`);

    const runs = JSON.parse((await orchard(["status", "--json"], { cwd: repo.dir })).stdout);
    const runId = runs[0].id as string;
    const view = JSON.parse((await orchard(["status", runId, "--json"], { cwd: repo.dir })).stdout);
    expect(view.status).toBe("interrupted");
    expect(view.tasks[0].attempts[0]).toMatchObject({ status: "failed", reason: "interrupted" });

    const fast = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1 out-{task_id}.txt`;
    const resumed = await orchard(["resume", runId, "--agent-command", fast], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
  });
});
