import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const PLAN = [1, 2]
  .map((n) => `### Task ${n}: T${n}\n**Files:**\n- Create: \`out-${n}.txt\`\n\nx\n`)
  .join("\n");

async function repoWith(config: unknown): Promise<TestRepo> {
  const repo = await makeRepo();
  repos.push(repo);
  await repo.write("plan.md", PLAN);
  await repo.write("orchard.config.json", `${JSON.stringify(config, null, 2)}\n`);
  await repo.commit("plan and config");
  return repo;
}

describe("orchard.config.json at the repository root (issue 21 item 4)", () => {
  it("gives the run its agent and runs its verification commands after every task", async () => {
    const ok = await repoWith({
      agent: "scripted",
      workers: 1,
      verify: ["test -f out-1.txt || test -f out-2.txt"],
    });
    const landed = await cli(ok.dir, ["run", "plan.md", "--json"]);
    expect(landed.code, landed.stderr).toBe(0);
    const result = JSON.parse(landed.stdout) as { tasks: { status: string }[] };
    expect(result.tasks.map((t) => t.status)).toEqual(["landed", "landed"]);

    const red = await repoWith({ agent: "scripted", maxAttempts: 1, verify: ["test -f never-made.txt"] });
    const failed = await cli(red.dir, ["run", "plan.md", "--json"]);
    expect(failed.code).toBe(1);
    const tasks = (JSON.parse(failed.stdout) as { tasks: { status: string; reason: string }[] }).tasks;
    expect(tasks[0]?.status).toBe("failed");
    expect(tasks[0]?.reason).toMatch(/verification failed: `test -f never-made\.txt`/);
  });

  it("--print-config shows the config file's values with the flags over them, and runs nothing", async () => {
    const repo = await repoWith({ agent: "claude", workers: 5, setup: "npm ci", maxCostUsd: 3 });
    const r = await cli(repo.dir, ["run", "--print-config", "--workers", "2", "--max-cost-usd", "1.5"]);
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as { configFile: string; options: Record<string, unknown> };
    expect(shown.configFile).toMatch(/orchard\.config\.json$/);
    expect(shown.options).toMatchObject({
      agent: "claude",
      workers: 2,
      setup: "npm ci",
      maxCostUsd: 1.5,
      timeoutS: 1800,
    });
  });

  it("a bad config file stops the run with the line and the key", async () => {
    const repo = await repoWith({ agent: "scripted", workers: 0 });
    const r = await cli(repo.dir, ["run", "plan.md"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/orchard\.config\.json:3: "workers": must be at least 1/);
  });
});
