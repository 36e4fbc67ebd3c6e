import { existsSync } from "node:fs";
import { mkdir, realpath, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { registeredWorktreesFromFiles } from "../../../src/git/checked-out.js";
import { Git } from "../../../src/git/git.js";
import { removeStaleRefLocks, resolveBase } from "../../../src/git/refs.js";
import { worktreeList } from "../../../src/git/repo.js";
import { git as rawGit, repoPerTest } from "../../helpers/git-repo.js";

/**
 * What a run start reads from the repository's files instead of asking git: each must agree with git
 * wherever it answers, and hand the question back (null) wherever the files leave room for doubt.
 */
const fixture = repoPerTest();

const gitList = async (dir: string) =>
  (await worktreeList(new Git(dir))).filter((w) => w.path !== dir).map((w) => w.path);

describe("the base of a run, from the ref files", () => {
  const base = async () => resolveBase(new Git(fixture.repo.dir), "HEAD");
  const revParse = async (cwd = fixture.repo.dir) => (await rawGit(cwd, ["rev-parse", "HEAD"])).trim();

  it("is git's HEAD on a loose branch, a packed branch, a detached HEAD and in a linked worktree", async () => {
    await fixture.repo.git(["commit", "--allow-empty", "-qm", "second"]);
    expect(await base()).toBe(await revParse());
    await fixture.repo.git(["pack-refs", "--all"]);
    expect(existsSync(join(fixture.common, "refs/heads/main"))).toBe(false);
    expect(await base()).toBe(await revParse());
    await fixture.repo.git(["checkout", "-q", "--detach", "HEAD~1"]);
    expect(await base()).toBe(await revParse());

    const linked = join(fixture.repo.dir, "..", `${fixture.repo.dir.split("/").at(-1)}-linked`);
    await fixture.repo.git(["worktree", "add", "-q", "-b", "side", linked, "main"]);
    try {
      await rawGit(linked, ["commit", "--allow-empty", "-qm", "on side"]);
      const fromLinked = await resolveBase(new Git(linked), "HEAD");
      expect(fromLinked).toBe(await revParse(linked));
      expect(fromLinked).not.toBe(await revParse());
    } finally {
      await fixture.repo.git(["worktree", "remove", "--force", linked]);
    }
  });

  it("asks git for anything else, and fails as git does on an unborn branch", async () => {
    await fixture.repo.git(["tag", "v1"]);
    expect(await resolveBase(new Git(fixture.repo.dir), "v1")).toBe(await revParse());
    await fixture.repo.git(["checkout", "-q", "--orphan", "empty"]);
    await expect(base()).rejects.toMatchObject({ code: "BAD_REVISION" });
  });
});

describe("registered worktrees, from the files", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const addWorktree = async (name: string) => {
    const dir = join(
      await realpath(join(fixture.repo.dir, "..")),
      `${fixture.repo.dir.split("/").at(-1)}-${name}`,
    );
    dirs.push(dir);
    await fixture.repo.git(["worktree", "add", "-q", "--detach", dir]);
    return dir;
  };

  it("lists what `git worktree list` lists", async () => {
    expect(registeredWorktreesFromFiles(fixture.common)).toEqual([]);
    await addWorktree("a");
    await addWorktree("b");
    expect(registeredWorktreesFromFiles(fixture.common)?.sort()).toEqual(
      (await gitList(fixture.repo.dir)).sort(),
    );
    expect(registeredWorktreesFromFiles(fixture.common)).toHaveLength(2);
  });

  it("hands back to git when a registration is prunable or locked", async () => {
    const a = await addWorktree("a");
    await rm(a, { recursive: true, force: true });
    expect(registeredWorktreesFromFiles(fixture.common)).toBeNull();
    await fixture.repo.git(["worktree", "prune"]);
    expect(registeredWorktreesFromFiles(fixture.common)).toEqual([]);

    const b = await addWorktree("b");
    await fixture.repo.git(["worktree", "lock", b]);
    expect(registeredWorktreesFromFiles(fixture.common)).toBeNull();
    await fixture.repo.git(["worktree", "unlock", b]);
    // A `.git` link that points somewhere else: not for the files to judge either.
    await writeFile(join(b, ".git"), `gitdir: ${join(fixture.common, "worktrees", "elsewhere")}\n`);
    expect(registeredWorktreesFromFiles(fixture.common)).toBeNull();
  });
});

describe("stale ref locks of a run", () => {
  it("are removed under the run's refs only", async () => {
    const git = new Git(fixture.repo.dir);
    const mine = join(fixture.common, "refs/heads/orchard/run-a/tasks");
    const theirs = join(fixture.common, "refs/heads/orchard/run-b");
    await mkdir(mine, { recursive: true });
    await mkdir(theirs, { recursive: true });
    await writeFile(join(mine, "1.1.lock"), "");
    await writeFile(join(fixture.common, "refs/heads/orchard/run-a/integration.lock"), "");
    await writeFile(join(theirs, "integration.lock"), "");

    await removeStaleRefLocks(git, "refs/heads/orchard/run-a");
    expect(existsSync(join(mine, "1.1.lock"))).toBe(false);
    expect(existsSync(join(fixture.common, "refs/heads/orchard/run-a/integration.lock"))).toBe(false);
    // Another run's lock may be a live writer's: left alone.
    expect(existsSync(join(theirs, "integration.lock"))).toBe(true);
    // A run without refs yet has nothing to clear.
    await removeStaleRefLocks(git, "refs/heads/orchard/run-c");
    await expect(removeStaleRefLocks(git, "refs/heads/../../x")).rejects.toThrow(/not a ref directory/);
  });
});
