import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const task = (n: number, agent?: string) =>
  `### Task ${n}: T${n}\n**Files:**\n- Create: \`out-${n}.txt\`\n\n${agent ? `**Agent:** ${agent}\n` : ""}\nx\n`;

describe("orchard run names its agent (issue 21 item 2)", () => {
  it("without --agent, exits 2 naming what to pass and listing the agent CLIs, and records no run", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", `${task(1)}\n${task(2, "scripted")}`);
    const r = await cli(repo.dir, ["run", "plan.md"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/no agent named for task 1:.*--agent <name>/);
    expect(r.stderr).toMatch(/AGENT\s+INSTALLED\s+VERSION/);
    expect(r.stderr).toMatch(/^claude\s/m);
    expect(r.stdout).toBe("");
    expect(existsSync(join(repo.dir, ".git", "orchard", "orchard.db"))).toBe(false);
  });

  it("runs when every task names its agent in the plan", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", `${task(1, "scripted")}\n${task(2, "scripted")}`);
    const r = await cli(repo.dir, ["run", "plan.md", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { tasks: { status: string }[] };
    expect(result.tasks.map((t) => t.status)).toEqual(["landed", "landed"]);
  });
});
