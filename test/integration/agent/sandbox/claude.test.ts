/**
 * The real Claude Code CLI inside the sandbox, against the scripted Messages API on loopback (allowed
 * because ANTHROPIC_BASE_URL names it): it writes its file through its own tools and the run lands it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "../../../fixtures/model-servers/anthropic-messages.js";
import type { FakeModelServer } from "../../../fixtures/model-servers/http.js";
import { makeRepo } from "../../../helpers/git-repo.js";
import { landedTaskIds, runPlan, showFile } from "../../../helpers/orchard.js";
import { realCli, skipReason } from "../../agent-clis/helpers.js";
import { unavailable, useScratchHome, whereIs } from "./helpers.js";

const problem =
  (await unavailable()) ?? (realCli("claude") ? null : skipReason("claude", "@anthropic-ai/claude-code"));
const scratch = useScratchHome();

describe.skipIf(problem)(`Claude Code in the sandbox${problem ? ` (skipped: ${problem})` : ""}`, () => {
  let server: FakeModelServer;
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    server = await start();
    const vars = {
      ORCHARD_CLAUDE_BIN: realCli("claude")!,
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: "usage:1000:100|write:f1.1.txt:made in the sandbox%0A|text:Done.",
      CLAUDE_CONFIG_DIR: join(scratch.home, ".claude"),
      CLAUDE_CODE_MAX_RETRIES: "0",
    };
    for (const [k, v] of Object.entries(vars)) {
      saved.set(k, process.env[k]);
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.close();
  });

  it("lands its change, having reached only the model server", async () => {
    const repo = await makeRepo();
    try {
      const plan =
        "## Batch 1: F\n\n### Task 1.1: F\n**Files:**\n- Create: `f1.1.txt`\n\nCreate `f1.1.txt`.\n";
      const { result } = await runPlan(repo.dir, plan, {
        mode: "sandbox",
        agent: "claude",
        model: "claude-sonnet-4-5",
        maxAttempts: 1,
        timeoutS: 90,
        idleTimeoutS: 60,
      });
      expect(result.tasks.map((t) => t.reason ?? null)).toEqual([null]);
      expect(result.reason).toBeNull();
      expect(result.status).toBe("succeeded");
      expect(await landedTaskIds(repo.dir, result.integrationBranch)).toEqual(["1.1"]);
      expect(await showFile(repo.dir, result.integrationBranch, "f1.1.txt")).toBe("made in the sandbox\n");
      expect(server.requests.filter((q) => q.method === "POST").map((q) => q.answer)).toEqual([
        "write f1.1.txt",
        'text "Done."',
      ]);
      for (const secret of scratch.secrets) expect(whereIs(repo.dir, secret)).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });
});
