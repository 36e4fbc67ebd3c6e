import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { openRepoStore } from "../../../src/engine/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES, runPlan } from "../../helpers/orchard.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const plan = `# Three

## Batch 1: All
${["1.1", "1.2", "1.3"].map((id) => `### Task ${id}: Make ${id}\n**Files:**\n- Create: \`out-${id}.txt\`\n\nx\n`).join("\n")}`;

/** Issue 20: a wrong API key is not retried, and the run starts no more attempts that fail the same way. */
describe("an agent CLI that cannot authenticate", () => {
  it("fails its attempt as not retryable, stops the run resumable, and fails no task", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const before = process.env.ORCHARD_CLAUDE_BIN;
    process.env.ORCHARD_CLAUDE_BIN = join(AGENT_FIXTURES, "claude-bad-key.mjs");
    onTestFinished(() => {
      if (before === undefined) delete process.env.ORCHARD_CLAUDE_BIN;
      else process.env.ORCHARD_CLAUDE_BIN = before;
    });
    const { result } = await runPlan(repo.dir, plan, { agent: "claude", workers: 1, maxAttempts: 3 });
    expect(result.status).toBe("interrupted");
    expect(result.reason).toContain("authentication error");
    expect(result.reason).toContain(`orchard resume ${result.runId}`);
    expect(result.tasks.filter((t) => t.status === "failed")).toEqual([]);
    const store = await openRepoStore(repo.dir);
    try {
      const attempts = await store.listAttempts(result.runId);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ status: "failed" });
      expect(attempts[0]!.reason).toContain("Invalid API key");
    } finally {
      await store.close();
    }
  });

  it("a plain command's output saying the same is the task's business: retried as usual", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const agent = `node -e "console.error('Invalid API key · Please run /login'); process.exit(1)"`;
    const { result } = await runPlan(repo.dir, plan, {
      agent: "command",
      agentCommand: agent,
      workers: 1,
      maxAttempts: 2,
    });
    expect(result.status).toBe("failed");
    const store = await openRepoStore(repo.dir);
    try {
      expect(await store.listAttempts(result.runId)).toHaveLength(6);
    } finally {
      await store.close();
    }
  });
});
