/**
 * A confined agent is killed like an unconfined one: on the idle timeout, the whole sandbox goes (bwrap,
 * the relay, the agent, even one that ignores SIGTERM), and the attempt says why.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepo } from "../../../helpers/git-repo.js";
import { AGENT_FIXTURES, runPlan } from "../../../helpers/orchard.js";
import { unavailable, useScratchHome } from "./helpers.js";

const problem = await unavailable();
useScratchHome();

/** Live processes whose command line holds `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(problem)(`killing a confined agent${problem ? ` (skipped: ${problem})` : ""}`, () => {
  it("the idle timeout ends the whole sandbox, network relay included, even past an ignored SIGTERM", async () => {
    const repo = await makeRepo();
    const marker = `hang-marker-${process.pid}-${Date.now()}`;
    const saved = process.env.HANG_IGNORE_TERM;
    process.env.HANG_IGNORE_TERM = "1";
    try {
      const plan = "## Batch 1: Hang\n\n### Task 1.1: Hang\n**Files:**\n- Create: `x.txt`\n\nHang.\n";
      const { result } = await runPlan(repo.dir, plan, {
        mode: "sandbox",
        allowHosts: ["127.0.0.1:9999"],
        agent: "command",
        agentCommand: `node ${join(AGENT_FIXTURES, "hang.mjs")} ${marker}`,
        idleTimeoutS: 1,
        maxAttempts: 1,
      });
      expect(result.status).toBe("failed");
      expect(result.tasks[0]?.reason).toMatch(/no output for 1 s|idle/);
      expect(processesWith(marker)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.HANG_IGNORE_TERM;
      else process.env.HANG_IGNORE_TERM = saved;
      await repo.cleanup();
    }
  });
});
