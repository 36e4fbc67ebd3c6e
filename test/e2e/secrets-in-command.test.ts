import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, orchard } from "../helpers/orchard.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const KEY = "sk-ant-api03-SECRETsecretSECRET0123456789";
const TOKEN = "ghp_SECRETsecretSECRETsecret0123456789ab";

/** Every file under a directory, recursively (the store with its WAL, the run's logs). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Issue 20 item 7: secrets on `--agent-command` are neither stored nor shown. */
describe("a secret in --agent-command", () => {
  it("is not in the store, status --json, agent.log or or orchard logs", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", "### Task 1: One\n**Files:**\n- Create: `out-1.txt`\n\nx\n");
    const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1 out-{task_id}.txt --api-key ${KEY} ${TOKEN}`;
    const run = await orchard(["run", "plan.md", "--agent-command", agent], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).not.toContain(KEY);

    const runId = JSON.parse((await orchard(["status", "--json"], { cwd: repo.dir })).stdout)[0].id as string;
    const status = await orchard(["status", runId, "--json"], { cwd: repo.dir });
    expect(status.stdout).toContain("--api-key ***");
    const logs = await orchard(["logs", runId, "1"], { cwd: repo.dir });
    expect(logs.exitCode, logs.all).toBe(0);
    for (const shown of [status.stdout, logs.all ?? ""]) {
      expect(shown).not.toContain(KEY);
      expect(shown).not.toContain(TOKEN);
    }
    const files = filesUnder(join(repo.dir, ".git", "orchard")).filter((f) => !f.includes("worktrees"));
    expect(files.some((f) => f.endsWith("agent.log"))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file).toString("latin1");
      expect(bytes.includes(KEY), file).toBe(false);
      expect(bytes.includes(TOKEN), file).toBe(false);
    }
  });
});
