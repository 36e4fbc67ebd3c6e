import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const PLAN = "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n";
// The agent needs what the setup makes; without it the attempt fails.
const AGENT = [
  "--agent-command",
  "sh -c 'test -f node_modules/ready && echo done > one.txt'",
  "--max-attempts",
  "1",
];

describe("orchard run --setup", () => {
  it("runs the command in the worktree before the agent, and a run without it fails where the agent needs it", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", PLAN);
    const without = await cli(repo.dir, ["run", "plan.md", "--json", ...AGENT]);
    expect(without.code).not.toBe(0);

    const withSetup = await cli(repo.dir, [
      "run",
      "plan.md",
      "--json",
      ...AGENT,
      "--setup",
      "mkdir -p node_modules && touch node_modules/ready",
    ]);
    expect(withSetup.code, withSetup.stderr).toBe(0);
    const result = JSON.parse(withSetup.stdout) as { tasks: { status: string }[] };
    expect(result.tasks.map((t) => t.status)).toEqual(["landed"]);
  });

  it("orchard logs shows the setup's output before the agent's and the verification's after it", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write(
      "plan.md",
      "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\n**Verification:**\n- `echo checking one; false`\n\nx\n",
    );
    const run = await cli(repo.dir, [
      "run",
      "plan.md",
      "--json",
      "--agent-command",
      "sh -c 'echo the agent speaks; echo done > one.txt'",
      "--max-attempts",
      "1",
      "--setup",
      "echo installing deps",
    ]);
    expect(run.code).not.toBe(0);
    const runId = (JSON.parse(run.stdout) as { runId: string }).runId;
    const logs = await cli(repo.dir, ["logs", runId, "1"]);
    expect(logs.code, logs.stderr).toBe(0);
    // Where each command's own output line stands (the header repeats the commands' text).
    const at = (line: string) => logs.stdout.indexOf(`\n${line}\n`);
    expect(at("installing deps")).toBeGreaterThan(-1);
    expect(at("the agent speaks")).toBeGreaterThan(at("installing deps"));
    expect(at("checking one")).toBeGreaterThan(at("the agent speaks"));
    const json = JSON.parse((await cli(repo.dir, ["logs", runId, "1", "--json"])).stdout) as Record<
      string,
      string
    >;
    expect(json.setupLog).toContain("installing deps");
    expect(json.log).toContain("the agent speaks");
    expect(json.verifyLog).toContain("checking one");
  });
});
