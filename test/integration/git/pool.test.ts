import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Git, isGitError, type Slot, WorktreePool } from "../../../src/git/index.js";
import { makeRepo, poolDirOf, git as rawGit, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
let pool: WorktreePool;

beforeEach(async () => {
  repo = await makeRepo();
});
afterEach(async () => {
  await pool?.settled();
  await repo.cleanup();
});

async function makePool(maxSlots = 4): Promise<WorktreePool> {
  pool = new WorktreePool({ git: new Git(repo.dir), maxSlots });
  await pool.init();
  return pool;
}

const head = async (dir: string) => (await rawGit(dir, ["rev-parse", "HEAD"])).trim();
const branchOf = async (dir: string) =>
  (await rawGit(dir, ["symbolic-ref", "-q", "HEAD"]).catch(() => "detached")).trim();
const status = (dir: string) => rawGit(dir, ["status", "--porcelain", "--untracked-files=all"]);

/** Makes a new commit on a side branch of the user's repo without moving their HEAD. */
async function sideCommit(files: Record<string, string>): Promise<string> {
  const tree = (await repo.git(["write-tree"])).trim();
  let index = tree;
  for (const [path, content] of Object.entries(files)) {
    const blob = (await repo.git(["hash-object", "-w", "--stdin"], content)).trim();
    // Build on a temporary index so the user's index is not touched.
    const env = join(repo.dir, ".git", "tmp-index");
    await rawGitWithIndex(env, ["read-tree", index]);
    await rawGitWithIndex(env, ["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`]);
    index = (await rawGitWithIndex(env, ["write-tree"])).trim();
  }
  const commit = (await repo.git(["commit-tree", index, "-p", repo.head, "-m", "side"])).trim();
  await repo.git(["update-ref", "refs/heads/side", commit]);
  return commit;
}

async function rawGitWithIndex(indexFile: string, args: string[]): Promise<string> {
  const { execa } = await import("execa");
  const result = await execa("git", args, {
    cwd: repo.dir,
    env: { GIT_INDEX_FILE: indexFile },
    stdin: "ignore",
  });
  return result.stdout;
}

describe("WorktreePool", () => {
  it("creates slots on demand, each on its branch at the base, with its own port block", async () => {
    await makePool();
    const [a, b] = await Promise.all([
      pool.acquire("main", "orchard/r/tasks/1"),
      pool.acquire(repo.head, "refs/heads/orchard/r/tasks/2"),
    ]);
    expect(new Set([a.id, b.id])).toEqual(new Set(["wt-1", "wt-2"]));
    const byId = (id: string) => (a.id === id ? a : b);
    expect(byId("wt-1")).toMatchObject({ index: 1, portBase: 20_000, base: repo.head });
    expect(byId("wt-2")).toMatchObject({ index: 2, portBase: 20_100, base: repo.head });
    for (const slot of [a, b]) {
      expect(slot.dir).toBe(join(poolDirOf(repo.dir), slot.id));
      expect(await head(slot.dir)).toBe(repo.head);
      expect(await branchOf(slot.dir)).toBe(`refs/heads/${slot.branch}`);
      expect(await status(slot.dir)).toBe("");
    }
    expect(pool.slots().map((s) => s.state)).toEqual(["busy", "busy"]);
  });

  describe("past eagerSlots", () => {
    /** A pool of two that makes one slot on demand; wt-1 has been made, leased and reset once. */
    async function onceUsed(growthCostRatio: number): Promise<Slot> {
      pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 2, eagerSlots: 1, growthCostRatio });
      await pool.init();
      pool.release(await pool.acquire("main", "orchard/r/tasks/1"));
      await pool.settled();
      return pool.acquire("main", "orchard/r/tasks/2");
    }

    it("makes another slot when making one costs little next to a reset", async () => {
      const busy = await onceUsed(Number.POSITIVE_INFINITY);
      expect(busy.id).toBe("wt-1");
      const next = await pool.acquire("main", "orchard/r/tasks/3");
      expect(next.id).toBe("wt-2");
      expect(await head(next.dir)).toBe(repo.head);
      expect(await branchOf(next.dir)).toBe("refs/heads/orchard/r/tasks/3");
      expect(await status(next.dir)).toBe("");
    });

    it("keeps what making a slot took for the next pool, which adopts its slots instead of making them", async () => {
      const first = new WorktreePool({ git: new Git(repo.dir), maxSlots: 1 });
      await first.init();
      first.release(await first.acquire("main", "orchard/r/tasks/1"));
      await first.settled();
      first.releaseDir();
      const saved = JSON.parse(await readFile(join(poolDirOf(repo.dir), ".slot-costs.json"), "utf8")) as {
        madeMs: number;
      };
      expect(saved.madeMs).toBeGreaterThan(0);

      // The next pool makes nothing before it needs to grow, and still knows whether growing pays.
      pool = new WorktreePool({
        git: new Git(repo.dir),
        maxSlots: 2,
        eagerSlots: 1,
        growthCostRatio: Number.POSITIVE_INFINITY,
      });
      await pool.init();
      expect(pool.slots().map((s) => [s.id, s.state])).toEqual([["wt-1", "free"]]);
      pool.release(await pool.acquire("main", "orchard/r/tasks/2"));
      await pool.settled();
      const busy = await pool.acquire("main", "orchard/r/tasks/3");
      expect((await pool.acquire("main", "orchard/r/tasks/4")).id).toBe("wt-2");
      expect(busy.id).toBe("wt-1");
    });

    it("waits for a reset instead when making one costs too much", async () => {
      const busy = await onceUsed(0);
      let next: Slot | null = null;
      const waiting = pool.acquire("main", "orchard/r/tasks/3").then((slot) => {
        next = slot;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // No slot will be made, none is free: the acquirer waits until wt-1 comes back.
      expect(next).toBeNull();
      expect(pool.slots().map((s) => s.id)).toEqual(["wt-1"]);
      pool.release(busy);
      await waiting;
      expect(next).toMatchObject({ id: "wt-1", branch: "orchard/r/tasks/3" });
    });
  });

  it("resets a released slot: tracked files restored, untracked removed, ignored kept", async () => {
    await makePool(1);
    const first = await pool.acquire("main", "orchard/r/tasks/1");
    await mkdir(join(first.dir, "node_modules/x"), { recursive: true });
    await writeFile(join(first.dir, "node_modules/x/index.js"), "warm\n");
    await writeFile(join(first.dir, "src/a.ts"), "changed\n");
    await writeFile(join(first.dir, "untracked.txt"), "junk\n");
    await mkdir(join(first.dir, "newdir/deep"), { recursive: true });
    await writeFile(join(first.dir, "newdir/deep/f.txt"), "junk\n");
    await writeFile(join(first.dir, "staged.txt"), "staged\n");
    await rawGit(first.dir, ["add", "staged.txt"]);
    pool.release(first);
    expect(pool.slots()[0]?.state).toBe("resetting");

    const second = await pool.acquire("main", "orchard/r/tasks/2");
    expect(second.id).toBe(first.id);
    expect(await readFile(join(second.dir, "node_modules/x/index.js"), "utf8")).toBe("warm\n");
    expect(await readFile(join(second.dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(existsSync(join(second.dir, "untracked.txt"))).toBe(false);
    expect(existsSync(join(second.dir, "newdir"))).toBe(false);
    expect(existsSync(join(second.dir, "staged.txt"))).toBe(false);
    expect(await status(second.dir)).toBe("");
    expect(await branchOf(second.dir)).toBe("refs/heads/orchard/r/tasks/2");
  });

  it("resets a slot to exactly a fresh checkout: no index flags, CRLF or exec bits left behind (issue 19, item 5)", async () => {
    await repo.write(".gitattributes", "*.txt text eol=lf\n");
    await repo.write("crlf.txt", "one\ntwo\n");
    await repo.write("run.sh", "echo hi\n");
    await repo.write("flagged.txt", "flagged\n");
    await repo.write("hidden.txt", "hidden\n");
    const base = await repo.commit("attrs");
    await repo.git(["config", "core.fileMode", "false"]);
    await makePool(1);
    const first = await pool.acquire(base, "orchard/r/tasks/1");
    await rawGit(first.dir, ["update-index", "--assume-unchanged", "flagged.txt"]);
    await rawGit(first.dir, ["update-index", "--skip-worktree", "hidden.txt"]);
    await writeFile(join(first.dir, "crlf.txt"), "one\r\ntwo\r\n");
    await chmod(join(first.dir, "run.sh"), 0o755);
    pool.release(first);
    const second = await pool.acquire(base, "orchard/r/tasks/2");
    expect(second.id).toBe(first.id);
    expect(await rawGit(second.dir, ["ls-files", "-v"])).toBe(
      "H .gitattributes\nH .gitignore\nH README.md\nH crlf.txt\nH flagged.txt\nH hidden.txt\nH run.sh\nH src/a.ts\nH src/b.ts\n",
    );
    expect(await readFile(join(second.dir, "crlf.txt"), "utf8")).toBe("one\ntwo\n");
    expect((await stat(join(second.dir, "run.sh"))).mode & 0o111).toBe(0);
    // The next task's edit of a file the last task flagged is seen.
    await writeFile(join(second.dir, "flagged.txt"), "edited\n");
    await writeFile(join(second.dir, "hidden.txt"), "edited\n");
    expect(await status(second.dir)).toBe(" M flagged.txt\n M hidden.txt\n");
  });

  it("keeps commits the agent made on the task branch after release", async () => {
    await makePool(1);
    const slot = await pool.acquire("main", "orchard/r/tasks/1");
    await writeFile(join(slot.dir, "done.txt"), "done\n");
    await rawGit(slot.dir, ["add", "done.txt"]);
    await rawGit(slot.dir, ["commit", "-q", "-m", "agent"]);
    const commit = await head(slot.dir);
    pool.release(slot);
    await pool.settled();
    expect((await repo.git(["rev-parse", "orchard/r/tasks/1"])).trim()).toBe(commit);
    expect(await branchOf(slot.dir)).toBe("detached");
    // The slot itself goes back to the base it was leased at, ready for the next task of that base.
    expect(pool.slots()[0]).toMatchObject({ state: "free", cleanAt: repo.head });
    expect(await head(slot.dir)).toBe(repo.head);
    expect(existsSync(join(slot.dir, "done.txt"))).toBe(false);
  });

  it("moves a free slot to another base", async () => {
    await makePool(1);
    const side = await sideCommit({ "side.txt": "side\n" });
    pool.release(await pool.acquire("main", "orchard/r/tasks/1"));
    const slot = await pool.acquire("side", "orchard/r/tasks/2");
    expect(slot.base).toBe(side);
    expect(await head(slot.dir)).toBe(side);
    expect(await readFile(join(slot.dir, "side.txt"), "utf8")).toBe("side\n");
    expect(await status(slot.dir)).toBe("");
    pool.release(slot);
    const back = await pool.acquire("main", "orchard/r/tasks/3");
    expect(existsSync(join(back.dir, "side.txt"))).toBe(false);
    expect(await head(back.dir)).toBe(repo.head);
  });

  it("queues acquirers beyond maxSlots and wakes them, in order, on release", async () => {
    await makePool(1);
    const first = await pool.acquire("main", "orchard/r/tasks/1");
    const order: string[] = [];
    const track = async (name: string, slot: Promise<Slot>) => {
      const resolved = await slot;
      order.push(name);
      return resolved;
    };
    const second = track("2", pool.acquire("main", "orchard/r/tasks/2"));
    const third = track("3", pool.acquire("main", "orchard/r/tasks/3"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    pool.release(first);
    const s2 = await second;
    expect(s2.id).toBe("wt-1");
    expect(order).toEqual(["2"]);
    pool.release(s2);
    expect((await third).id).toBe("wt-1");
    expect(order).toEqual(["2", "3"]);
  });

  it("queues acquirers in call order even when an earlier one must first look its commit up", async () => {
    await makePool(1);
    const first = await pool.acquire(repo.head, "orchard/r/tasks/1");
    const order: string[] = [];
    const track = async (name: string, slot: Promise<Slot>) => {
      const resolved = await slot;
      order.push(name);
      return resolved;
    };
    // "main" needs a rev-parse; the full sha of the third does not and would otherwise queue first.
    const second = track("2", pool.acquire("main", "orchard/r/tasks/2"));
    const third = track("3", pool.acquire(repo.head, "orchard/r/tasks/3"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    pool.release(first);
    const s2 = await second;
    expect(order).toEqual(["2"]);
    pool.release(s2);
    await third;
    expect(order).toEqual(["2", "3"]);
  });

  it("never hands one slot to two acquirers", async () => {
    await makePool(3);
    const held = new Set<string>();
    const overlaps: string[] = [];
    const seen = new Set<string>();
    const worker = async (w: number) => {
      for (let round = 0; round < 3; round++) {
        const slot: Slot = await pool.acquire("main", `orchard/r/tasks/${w}.${round}`);
        if (held.has(slot.id)) overlaps.push(slot.id);
        held.add(slot.id);
        seen.add(slot.id);
        await new Promise((resolve) => setTimeout(resolve, 5));
        held.delete(slot.id);
        pool.release(slot);
      }
    };
    await Promise.all([1, 2, 3, 4, 5, 6].map(worker));
    expect(overlaps).toEqual([]);
    expect([...seen].sort()).toEqual(["wt-1", "wt-2", "wt-3"]);
  });

  it("aborts a merge left in progress and clears a stale index.lock", async () => {
    await makePool(1);
    await sideCommit({ "src/a.ts": "side\n" });
    const slot = await pool.acquire("main", "orchard/r/tasks/1");
    await writeFile(join(slot.dir, "src/a.ts"), "mine\n");
    await rawGit(slot.dir, ["commit", "-q", "-am", "mine"]);
    await rawGit(slot.dir, ["merge", "side"]).catch(() => undefined);
    const gitDir = (await rawGit(slot.dir, ["rev-parse", "--absolute-git-dir"])).trim();
    expect(existsSync(join(gitDir, "MERGE_HEAD"))).toBe(true);
    await writeFile(join(gitDir, "index.lock"), "");
    pool.release(slot);
    const next = await pool.acquire("main", "orchard/r/tasks/2");
    expect(existsSync(join(gitDir, "MERGE_HEAD"))).toBe(false);
    expect(existsSync(join(gitDir, "index.lock"))).toBe(false);
    expect(await status(next.dir)).toBe("");
    expect(await head(next.dir)).toBe(repo.head);
  });

  it("hands a branch again after release, even while the slot that held it is still resetting", async () => {
    await makePool(2);
    const slot = await pool.acquire("main", "orchard/r/tasks/1");
    pool.release(slot);
    const again = await pool.acquire("main", "orchard/r/tasks/1");
    expect(await branchOf(again.dir)).toBe("refs/heads/orchard/r/tasks/1");
    await expect(pool.acquire("main", "orchard/r/tasks/1")).rejects.toMatchObject({
      code: "BRANCH_CHECKED_OUT",
    });
  });

  it("refuses branches outside orchard/ and branches checked out in the user's checkout", async () => {
    await makePool(1);
    await expect(pool.acquire("main", "main")).rejects.toThrow(/refs\/heads\/orchard/);
    await repo.git(["checkout", "-q", "-b", "orchard/user-looking"]);
    const error = await pool.acquire("main", "orchard/user-looking").catch((e) => e);
    expect(isGitError(error, "BRANCH_CHECKED_OUT")).toBe(true);
    expect((await repo.git(["symbolic-ref", "HEAD"])).trim()).toBe("refs/heads/orchard/user-looking");
    const userWorktree = `${repo.dir}-user-wt`;
    await repo.git(["worktree", "add", "-q", "-b", "orchard/user-wt", userWorktree, "main"]);
    try {
      await expect(pool.acquire("main", "orchard/user-wt")).rejects.toMatchObject({
        code: "BRANCH_CHECKED_OUT",
      });
      expect((await rawGit(userWorktree, ["symbolic-ref", "HEAD"])).trim()).toBe(
        "refs/heads/orchard/user-wt",
      );
    } finally {
      await rm(userWorktree, { recursive: true, force: true });
    }
    // The slot is usable again afterwards.
    await pool.settled();
    const slot = await pool.acquire("main", "orchard/r/tasks/9");
    expect(await status(slot.dir)).toBe("");
  });

  it("rebuilds a slot whose .git link was deleted, without ever reaching the user's checkout", async () => {
    await makePool(1);
    await repo.write("src/a.ts", "user's uncommitted work\n");
    await repo.write("user-untracked.txt", "mine\n");
    const slot = await pool.acquire("main", "orchard/r/tasks/1");
    await rm(join(slot.dir, ".git"));
    pool.release(slot);
    await pool.settled();
    expect(await repo.read("src/a.ts")).toBe("user's uncommitted work\n");
    expect(await repo.read("user-untracked.txt")).toBe("mine\n");
    expect(pool.slots()[0]?.state).toBe("free");
    const next = await pool.acquire("main", "orchard/r/tasks/2");
    expect(await status(next.dir)).toBe("");
    expect(await branchOf(next.dir)).toBe("refs/heads/orchard/r/tasks/2");
  });

  it("prewarms slots at a base so that acquire only creates the branch", async () => {
    const events: string[] = [];
    pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 3, onEvent: (e) => events.push(e.type) });
    await pool.init();
    await pool.prewarm(2, "main");
    expect(pool.slots().map((s) => [s.id, s.state, s.cleanAt])).toEqual([
      ["wt-1", "free", repo.head],
      ["wt-2", "free", repo.head],
    ]);
    events.length = 0;
    await pool.acquire("main", "orchard/r/tasks/1");
    expect(events).toEqual(["slot:acquired"]);
  });

  it("says when an acquirer would wait (no slot free, or git must make or move one), and not when a clean slot is at hand", async () => {
    pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 1 });
    await pool.init();
    let waits = 0;
    const onWait = () => waits++;
    // No slot yet: git makes one.
    const first = await pool.acquire("main", "orchard/r/tasks/1", { onWait });
    expect(waits).toBe(1);
    // The only slot is taken: the acquirer queues, and says so before it gets one.
    let second: Slot | undefined;
    const secondP = pool.acquire("main", "orchard/r/tasks/2", { onWait }).then((s) => {
      second = s;
      return s;
    });
    for (let i = 0; i < 100 && waits < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([waits, second]).toEqual([2, undefined]);
    pool.release(first);
    pool.release(await secondP);
    await pool.settled();
    // Free and clean at the base: handed off without waiting.
    pool.release(await pool.acquire("main", "orchard/r/tasks/3", { onWait }));
    expect(waits).toBe(2);
    await pool.settled();
    // Free but clean at another commit: git moves it.
    const side = await sideCommit({ "side.txt": "side\n" });
    await pool.acquire(side, "orchard/r/tasks/4", { onWait });
    expect(waits).toBe(3);
  });

  describe("a release whose reset is put off", () => {
    it("leaves the slot as it is until a slot is wanted, then resets it straight to the new base", async () => {
      const events: string[] = [];
      pool = new WorktreePool({ git: new Git(repo.dir), maxSlots: 1, onEvent: (e) => events.push(e.type) });
      await pool.init();
      const first = await pool.acquire("main", "orchard/r/tasks/1");
      await writeFile(join(first.dir, "src/a.ts"), "changed\n");
      await writeFile(join(first.dir, "untracked.txt"), "junk\n");
      pool.release(first, { defer: true });
      expect(pool.slots()[0]?.state).toBe("resetting");
      // Nothing ran: the slot still holds the task's files.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(existsSync(join(first.dir, "untracked.txt"))).toBe(true);
      expect(events).not.toContain("slot:reset");

      const side = await sideCommit({ "side.txt": "side\n" });
      const second = await pool.acquire(side, "orchard/r/tasks/2");
      expect(second.id).toBe(first.id);
      expect(await head(second.dir)).toBe(side);
      expect(await readFile(join(second.dir, "side.txt"), "utf8")).toBe("side\n");
      expect(await readFile(join(second.dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
      expect(existsSync(join(second.dir, "untracked.txt"))).toBe(false);
      expect(await status(second.dir)).toBe("");
      expect(await branchOf(second.dir)).toBe("refs/heads/orchard/r/tasks/2");
      // One reset, to the new base: no move after it.
      expect(events.filter((e) => e === "slot:reset")).toHaveLength(1);
    });

    it("is done when the pool settles, and a waiting retry of the same branch gets the slot", async () => {
      await makePool(2);
      const slot = await pool.acquire("main", "orchard/r/tasks/1");
      await writeFile(join(slot.dir, "untracked.txt"), "junk\n");
      pool.release(slot, { defer: true });
      // The same task again (a retry): its branch is still checked out there until the reset runs.
      const again = await pool.acquire("main", "orchard/r/tasks/1");
      expect(await branchOf(again.dir)).toBe("refs/heads/orchard/r/tasks/1");
      expect(existsSync(join(again.dir, "untracked.txt"))).toBe(false);
      pool.release(again, { defer: true });
      await pool.settled();
      for (const s of pool.slots()) expect(s.state).toBe("free");
      for (const s of pool.slots()) {
        expect(await status(join(poolDirOf(repo.dir), s.id))).toBe("");
        expect(await branchOf(join(poolDirOf(repo.dir), s.id))).toBe("detached");
      }
    });
  });
});
