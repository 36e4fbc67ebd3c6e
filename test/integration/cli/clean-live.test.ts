import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, poolDirOf, type TestRepo } from "../../helpers/git-repo.js";
import { cli, startSlowRun } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const orchardRefs = async (dir: string) =>
  (await execa("git", ["for-each-ref", "--format=%(refname)", "refs/heads/orchard/"], { cwd: dir })).stdout;

describe("orchard clean", () => {
  it("refuses while a run is executing, touching nothing, and cleans once it has stopped", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const handle = await startSlowRun(repo.dir);
    const slot = join(poolDirOf(repo.dir), "wt-1");
    const refsBefore = await orchardRefs(repo.dir);
    expect(refsBefore).toContain(`refs/heads/orchard/${handle.runId}/integration`);

    const refused = await cli(repo.dir, ["clean"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`run ${handle.runId} is being executed by pid ${process.pid}`);
    expect(refused.stderr).toContain(`orchard cancel ${handle.runId}`);
    expect(existsSync(slot)).toBe(true);
    expect(await orchardRefs(repo.dir)).toBe(refsBefore);

    handle.kill();
    await handle.done;
    // The stopped run can be resumed: its branches stay; named, they go.
    const cleaned = await cli(repo.dir, ["clean"]);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(existsSync(slot)).toBe(false);
    expect(await orchardRefs(repo.dir)).toBe(refsBefore);
    expect(cleaned.stdout).toContain("can be resumed");
    const named = await cli(repo.dir, ["clean", "--runs", handle.runId]);
    expect(named.code, named.stderr).toBe(0);
    expect(await orchardRefs(repo.dir)).toBe("");
  });

  it("creates no store in a repository Orchard never ran in", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const r = await cli(repo.dir, ["clean"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(repo.dir, ".git", "orchard", "orchard.db"))).toBe(false);
  });
});
