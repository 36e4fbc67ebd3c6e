import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureSlotReady } from "../../../src/git/index.js";
import { makeRepo, snapshotCheckout, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
beforeAll(async () => {
  repo = await makeRepo({ generatedFiles: 50 });
});
afterAll(() => repo.cleanup());

describe("measureSlotReady", () => {
  it("returns both medians and leaves no worktree, ref or file behind", async () => {
    await repo.git(["branch", "orchard/someone-elses-run"]);
    const before = await snapshotCheckout(repo.dir);
    const worktreesBefore = await repo.git(["worktree", "list", "--porcelain"]);
    const result = await measureSlotReady({ repoDir: repo.dir, iterations: 3 });
    expect(result.iterations).toBe(3);
    expect(result.warmHandoffP50Ms).toBeGreaterThan(0);
    expect(result.freshWorktreeP50Ms).toBeGreaterThan(0);
    expect(await snapshotCheckout(repo.dir)).toEqual(before);
    expect(await repo.git(["worktree", "list", "--porcelain"])).toBe(worktreesBefore);
    expect((await repo.git(["for-each-ref", "--format=%(refname)", "refs/heads/orchard/"])).trim()).toBe(
      "refs/heads/orchard/someone-elses-run",
    );
  });
});
