import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const PLAN = "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n";
const AGENT = ["--agent-command", "sh -c 'echo done > out-{task_id}.txt'"];

describe("orchard run on a checkout with uncommitted changes", () => {
  it("says the run starts from HEAD without them, and leaves the checkout and its index as they were", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", PLAN);
    const clean = await cli(repo.dir, ["run", "plan.md", ...AGENT]);
    expect(clean.code, clean.stderr).toBe(0);
    // An untracked plan is not a change the agents miss.
    expect(clean.stderr).not.toMatch(/uncommitted/);

    await repo.write("src/a.ts", "export const a = 2; // not committed\n");
    const index = statSync(join(repo.dir, ".git", "index")).mtimeMs;
    const dirty = await cli(repo.dir, ["run", "plan.md", ...AGENT]);
    expect(dirty.code, dirty.stderr).toBe(0);
    expect(dirty.stderr).toContain(
      "note: 1 tracked file has uncommitted changes in your checkout; the run starts from HEAD without them",
    );
    expect(await repo.read("src/a.ts")).toBe("export const a = 2; // not committed\n");
    expect(statSync(join(repo.dir, ".git", "index")).mtimeMs).toBe(index);
  });
});

describe("orchard run on a repository with submodules", () => {
  it("says the worktrees do not check them out, naming them; quiet on a repository without any", async () => {
    const lib = await makeRepo({ files: { "lib.txt": "lib\n" } });
    const app = await makeRepo();
    repos.push(lib, app);
    await app.write("plan.md", PLAN);
    const plain = await cli(app.dir, ["run", "plan.md", ...AGENT]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/submodule/);

    await app.git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.dir, "vendor/lib"]);
    await app.git(["commit", "-q", "-m", "a submodule"]);
    const withSub = await cli(app.dir, ["run", "plan.md", ...AGENT]);
    expect(withSub.code, withSub.stderr).toBe(0);
    expect(withSub.stderr).toContain(
      "note: this repository has submodules (vendor/lib); Orchard's worktrees do not check them out",
    );
    // The commit the run starts from decides: one from before the submodule has none.
    const before = await cli(app.dir, ["run", "plan.md", ...AGENT, "--base", "HEAD~1"]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).not.toMatch(/submodule/);
  });
});
