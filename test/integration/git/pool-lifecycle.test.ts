import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cleanOrchard,
  commitAll,
  Git,
  LandingWorktree,
  updateRef,
  WorktreePool,
} from "../../../src/git/index.js";
import {
  makeRepo,
  poolDirOf,
  git as rawGit,
  snapshotCheckout,
  type TestRepo,
} from "../../helpers/git-repo.js";

let repo: TestRepo;

beforeEach(async () => {
  repo = await makeRepo();
});
afterEach(() => repo.cleanup());

const poolDir = () => poolDirOf(repo.dir);
const worktreePaths = async () =>
  (await repo.git(["worktree", "list", "--porcelain"]))
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length));
const orchardRefs = async () =>
  (await repo.git(["for-each-ref", "--format=%(refname)", "refs/heads/orchard/"])).trim();

/** A pool of `maxSlots` with two slots leased, as wt-1 and wt-2. */
async function leaseTwo(maxSlots: number) {
  const pool = new WorktreePool({ git: new Git(repo.dir), maxSlots });
  await pool.init();
  const [one, two] = await Promise.all([
    pool.acquire("main", "orchard/r/tasks/1"),
    pool.acquire("main", "orchard/r/tasks/2"),
  ]);
  const [s1, s2] = one.id === "wt-1" ? [one, two] : [two, one];
  return { pool, s1, s2 };
}

describe("WorktreePool.init after a crash", () => {
  it("prunes, clears locks and strays, and adopts the slots that are left", async () => {
    const { s1, s2 } = await leaseTwo(3);
    // The crash: wt-1 dirty with a stale index.lock, wt-2 deleted by hand, strays in the pool dir.
    await writeFile(join(s1.dir, "src/a.ts"), "half-written\n");
    await writeFile(join(s1.dir, "junk.txt"), "junk\n");
    await mkdir(join(s1.dir, "node_modules"), { recursive: true });
    await writeFile(join(s1.dir, "node_modules/keep.js"), "warm\n");
    const gitDir = (await rawGit(s1.dir, ["rev-parse", "--absolute-git-dir"])).trim();
    await writeFile(join(gitDir, "index.lock"), "");
    await rm(s2.dir, { recursive: true, force: true });
    await mkdir(join(poolDir(), "wt-9"), { recursive: true });
    await writeFile(join(poolDir(), "wt-9", "file"), "not a worktree\n");
    await writeFile(join(poolDir(), "stray.txt"), "stray\n");

    const pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 3 });
    await pool.init();
    await pool.settled();
    expect(pool.slots().map((s) => [s.id, s.state])).toEqual([["wt-1", "free"]]);
    expect(existsSync(join(poolDir(), "wt-9"))).toBe(false);
    expect(existsSync(join(poolDir(), "stray.txt"))).toBe(false);
    expect(await worktreePaths()).toEqual([repo.dir, s1.dir]);

    const slot = await pool.acquire("main", "orchard/r/tasks/3");
    expect(slot.id).toBe("wt-1");
    expect(existsSync(join(gitDir, "index.lock"))).toBe(false);
    expect(await rawGit(slot.dir, ["status", "--porcelain"])).toBe("");
    expect(await readFile(join(slot.dir, "node_modules/keep.js"), "utf8")).toBe("warm\n");
    await pool.destroy();
  });

  it("adopts a slot its last reset marked clean without resetting it again; a slot left mid-task is reset", async () => {
    const { pool: before, s1, s2 } = await leaseTwo(2);
    await writeFile(join(s1.dir, "done.txt"), "released\n");
    before.release(s1);
    await before.settled();
    // wt-2 is "crashed": dirty and never released.
    await writeFile(join(s2.dir, "src/a.ts"), "half-written\n");

    const pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 2 });
    await pool.init();
    // No settled(): the marked slot is free at once, the other is still being reset.
    expect(pool.slots().map((s) => [s.id, s.state, s.cleanAt])).toEqual([
      ["wt-1", "free", repo.head],
      ["wt-2", "resetting", null],
    ]);
    await pool.settled();
    expect(await rawGit(s2.dir, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
    // Leasing a slot removes its mark: a crash while it is busy leaves it to be reset.
    const slot = await pool.acquire("main", "orchard/r/tasks/3");
    await writeFile(join(slot.dir, "src/a.ts"), "agent was here\n");
    const after = new WorktreePool({ git: new Git(repo.dir), maxSlots: 2 });
    await after.init();
    expect(after.slots().find((s) => s.id === slot.id)?.state).toBe("resetting");
    await after.settled();
    expect(await rawGit(slot.dir, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
    await after.destroy();
  });

  it("keeps its slots in git's directory: nothing in the working tree, no exclude entry", async () => {
    const exclude = await readFile(join(repo.dir, ".git", "info", "exclude"), "utf8").catch(() => "");
    const pool = new WorktreePool({ git: new Git(repo.dir) });
    await pool.init();
    const slot = await pool.acquire("main", "orchard/r/tasks/1");
    expect(slot.dir).toBe(join(poolDirOf(repo.dir), "wt-1"));
    expect(await readFile(join(repo.dir, ".git", "info", "exclude"), "utf8").catch(() => "")).toBe(exclude);
    expect(await repo.git(["status", "--porcelain", "--untracked-files=all", "--ignored"])).toBe("");
    pool.release(slot);
    await pool.settled();
    await pool.destroy();
  });
});

describe("destroy and cleanOrchard", () => {
  async function setUpUserState() {
    const userWorktree = `${repo.dir}-user-wt`;
    await repo.git(["worktree", "add", "-q", "-b", "feature", userWorktree, "main"]);
    await repo.git(["branch", "orchard-not-ours"]);
    await repo.git(["branch", "orchard/user-inspecting"]);
    await rawGit(userWorktree, ["checkout", "-q", "orchard/user-inspecting"]);
    return userWorktree;
  }

  it("destroy removes the pool's worktrees and orchard refs, nothing else", async () => {
    const userWorktree = await setUpUserState();
    const pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 2 });
    await pool.init();
    await pool.prewarm(2, "main");
    const slot = await pool.acquire("main", "orchard/r/tasks/1");
    pool.release(slot);
    const result = await pool.destroy();
    expect(result.removedWorktrees.sort()).toEqual([join(poolDir(), "wt-1"), join(poolDir(), "wt-2")]);
    expect(result.keptRefs).toEqual(["refs/heads/orchard/user-inspecting"]);
    expect(await orchardRefs()).toBe("refs/heads/orchard/user-inspecting");
    expect(await worktreePaths()).toEqual([repo.dir, userWorktree]);
    expect(existsSync(poolDir())).toBe(false);
    expect((await repo.git(["branch", "--list", "feature", "orchard-not-ours"])).trim()).toMatch(
      /feature\n\s*orchard-not-ours/,
    );
    await expect(pool.acquire("main", "orchard/r/tasks/2")).rejects.toThrow(/destroyed/);
    await rm(userWorktree, { recursive: true, force: true });
  });

  it("cleanOrchard works without an initialized pool", async () => {
    const userWorktree = await setUpUserState();
    const pool = new WorktreePool({ git: new Git(repo.dir) });
    await pool.init();
    await pool.acquire("main", "orchard/r/tasks/1");
    await updateRef(new Git(repo.dir), "refs/heads/orchard/r/integration", repo.head);
    const result = await cleanOrchard(join(repo.dir, "src"));
    expect(result.removedWorktrees).toEqual([join(poolDir(), "wt-1")]);
    expect(result.deletedRefs.sort()).toEqual([
      "refs/heads/orchard/r/integration",
      "refs/heads/orchard/r/tasks/1",
    ]);
    expect(await worktreePaths()).toEqual([repo.dir, userWorktree]);
    await rm(userWorktree, { recursive: true, force: true });
  });
});

describe("the user's checkout", () => {
  it("is identical before and after a full pool lifecycle", async () => {
    // The user's state: their own branch and tag, a stash, staged and unstaged edits, untracked and ignored files.
    await repo.git(["branch", "my-feature"]);
    await repo.git(["tag", "v1"]);
    await repo.write("src/a.ts", "stashed edit\n");
    await repo.git(["stash", "push", "-q", "-m", "wip"]);
    await repo.write("src/b.ts", "staged edit\n");
    await repo.git(["add", "src/b.ts"]);
    await repo.write("src/a.ts", "unstaged edit\n");
    await repo.write("notes with space.txt", "untracked\n");
    await repo.write("node_modules/dep/index.js", "ignored\n");
    const before = await snapshotCheckout(repo.dir);

    const git = new Git(repo.dir);
    const pool = new WorktreePool({ git, maxSlots: 2 });
    await pool.init();
    await pool.prewarm(2, "main");
    const integration = "refs/heads/orchard/r/integration";
    await updateRef(git, integration, repo.head, null);
    let integrationHead = repo.head;
    const run = async (task: number) => {
      const slot = await pool.acquire("main", `orchard/r/tasks/${task}`);
      await writeFile(join(slot.dir, `task-${task}.txt`), `${task}\n`);
      await writeFile(join(slot.dir, "scratch.tmp"), "left behind\n");
      await rm(join(slot.dir, "scratch.tmp"));
      const { commit } = await commitAll(git, slot, `Task ${task}`, { since: slot.base });
      pool.release(slot);
      return commit!;
    };
    const commits = await Promise.all([1, 2, 3].map(run));
    const landing = new LandingWorktree(git, join(repo.dir, ".git", "orchard", "land", "r"));
    for (const [i, commit] of commits.entries()) {
      const merged = await landing.merge({
        ref: integration,
        expectedHead: integrationHead,
        theirs: commit,
        message: `Merge task ${i + 1}`,
      });
      expect(merged.kind).toBe("merged");
      if (merged.kind === "merged") integrationHead = merged.commit;
    }
    expect((await repo.git(["ls-tree", "--name-only", integrationHead])).split("\n")).toEqual(
      expect.arrayContaining(["task-1.txt", "task-2.txt", "task-3.txt"]),
    );
    await landing.close();
    await pool.settled();
    await pool.destroy();

    expect(await snapshotCheckout(repo.dir)).toEqual(before);
  });

  it("the snapshot does notice a change (so the test above can fail)", async () => {
    await repo.write("node_modules/dep/index.js", "ignored\n");
    const before = await snapshotCheckout(repo.dir);
    await repo.write("node_modules/dep/index.js", "changed\n");
    const ignoredChange = await snapshotCheckout(repo.dir);
    expect(ignoredChange).toEqual(before);
    await repo.write("src/a.ts", "edited\n");
    expect(await snapshotCheckout(repo.dir)).not.toEqual(before);
    await repo.git(["checkout", "-q", "src/a.ts"]);
    await repo.git(["branch", "x"]);
    expect(await snapshotCheckout(repo.dir)).not.toEqual(before);
  });
});
