import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll, Git, type RunOptions, type Slot, WorktreePool } from "../../../src/git/index.js";
import { makeRepo, git as rawGit, type TestRepo } from "../../helpers/git-repo.js";

/** A Git that records the commands it was asked to run. */
class RecordingGit extends Git {
  readonly commands: string[][] = [];
  override run(args: readonly string[], opts?: RunOptions) {
    this.commands.push([...args]);
    return super.run(args, opts);
  }
  cleans(): number {
    return this.commands.filter((args) => args[0] === "clean").length;
  }
  checkouts(): number {
    return this.commands.filter((args) => args[0] === "checkout").length;
  }
}

let repo: TestRepo;
let git: RecordingGit;
let pool: WorktreePool;

beforeEach(async () => {
  repo = await makeRepo();
  git = new RecordingGit(repo.dir);
  pool = new WorktreePool({ git, maxSlots: 1 });
  await pool.init();
});
afterEach(async () => {
  await pool.settled();
  await repo.cleanup();
});

const status = (dir: string) => rawGit(dir, ["status", "--porcelain", "--untracked-files=all", "--ignored"]);

/** One task in the pool's one slot: `work` changes files, Orchard commits, the slot is released. */
async function task(id: number, work: (slot: Slot) => Promise<void>): Promise<Slot> {
  const slot = await pool.acquire(repo.head, `orchard/r/tasks/${id}`);
  await work(slot);
  const committed = await commitAll(git, slot.dir, `Task ${id}\n`, { since: slot.base });
  expect(committed.cleanKey).toBeDefined();
  pool.release(slot, { stagedKey: committed.cleanKey });
  await pool.settled();
  return slot;
}

const addFile = (name: string) => (slot: Slot) => writeFile(join(slot.dir, name), `${name}\n`);

describe("a slot's reset after a commit that staged everything", () => {
  it("leaves git clean out once the base's clean key is known, and the slot is as clean as before", async () => {
    // The slot's making learnt the base's key (and its index) from the new worktree's index.
    await task(1, (s) => writeFile(join(s.dir, "src/a.ts"), "changed\n"));
    expect([git.cleans(), git.checkouts()]).toEqual([0, 1]);
    const slot = await task(2, async (s) => {
      await writeFile(join(s.dir, "src/b.ts"), "changed\n");
      await addFile("two.txt")(s);
      await mkdir(join(s.dir, "node_modules/x"), { recursive: true });
      await writeFile(join(s.dir, "node_modules/x/index.js"), "warm\n");
    });
    expect([git.cleans(), git.checkouts()]).toEqual([0, 2]);
    expect(await readFile(join(slot.dir, "src/b.ts"), "utf8")).toBe("export const b = 2;\n");
    expect(existsSync(join(slot.dir, "two.txt"))).toBe(false);
    // Ignored files stay (as with clean), and nothing else is there: status lists only the ignored dir.
    expect(await readFile(join(slot.dir, "node_modules/x/index.js"), "utf8")).toBe("warm\n");
    expect(await status(slot.dir)).toBe("!! node_modules/x/index.js\n");
    expect(pool.slots()[0]).toMatchObject({ state: "free", cleanAt: repo.head });
  });

  it("still cleans after a task that changed what is ignored: a file ignored only by the task's .gitignore goes", async () => {
    await task(1, addFile("one.txt"));
    const slot = await task(2, async (s) => {
      await writeFile(join(s.dir, ".gitignore"), "node_modules/\nbuild/\n");
      await mkdir(join(s.dir, "build"), { recursive: true });
      await writeFile(join(s.dir, "build/out.js"), "built\n");
    });
    expect(git.cleans()).toBe(1);
    expect(existsSync(join(slot.dir, "build"))).toBe(false);
    expect(await readFile(join(slot.dir, ".gitignore"), "utf8")).toBe("node_modules/\n");
    expect(await status(slot.dir)).toBe("");
  });

  it("still cleans after a task that committed a nested repository (a gitlink): its directory goes", async () => {
    await task(1, addFile("one.txt"));
    const slot = await task(2, async (s) => {
      const nested = join(s.dir, "vendor/lib");
      await mkdir(nested, { recursive: true });
      await rawGit(nested, ["init", "-q"]);
      await writeFile(join(nested, "lib.js"), "lib\n");
      await rawGit(nested, ["add", "lib.js"]);
      await rawGit(nested, ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "lib"]);
    });
    expect(git.cleans()).toBe(1);
    expect(existsSync(join(slot.dir, "vendor"))).toBe(false);
    expect(await status(slot.dir)).toBe("");
  });

  it("cleans when the release says nothing of what was staged", async () => {
    await task(1, addFile("one.txt"));
    const slot = await pool.acquire(repo.head, "orchard/r/tasks/2");
    await writeFile(join(slot.dir, "left.txt"), "left\n");
    pool.release(slot);
    await pool.settled();
    expect(git.cleans()).toBe(1);
    expect(existsSync(join(slot.dir, "left.txt"))).toBe(false);
  });
});

/** What git itself says of a slot: HEAD, whether it is detached, the index against HEAD, every file. */
async function gitView(dir: string) {
  const detached = await rawGit(dir, ["symbolic-ref", "-q", "HEAD"]).then(
    () => false,
    () => true,
  );
  return {
    head: (await rawGit(dir, ["rev-parse", "HEAD"])).trim(),
    detached,
    staged: await rawGit(dir, ["diff", "--cached", "--name-status"]),
    status: await status(dir),
    index: await rawGit(dir, ["ls-files", "-s"]),
    tree: await rawGit(dir, ["ls-tree", "-r", "--format=%(objectmode) %(objectname) 0\t%(path)", "HEAD"]),
  };
}

describe("a slot's reset after a task that only added files", () => {
  it("is done without git: the new files and the directories they made go, ignored files stay", async () => {
    const slot = await task(1, async (s) => {
      await addFile("one.txt")(s);
      await mkdir(join(s.dir, "src/new/deep"), { recursive: true });
      await writeFile(join(s.dir, "src/new/deep/x.ts"), "x\n");
      await mkdir(join(s.dir, "pkg/node_modules"), { recursive: true });
      await writeFile(join(s.dir, "pkg/index.ts"), "pkg\n");
      await writeFile(join(s.dir, "pkg/node_modules/cached.js"), "warm\n");
    });
    expect([git.cleans(), git.checkouts()]).toEqual([0, 0]);
    for (const gone of ["one.txt", "src/new", "pkg/index.ts"])
      expect(existsSync(join(slot.dir, gone))).toBe(false);
    expect(await readFile(join(slot.dir, "pkg/node_modules/cached.js"), "utf8")).toBe("warm\n");
    const view = await gitView(slot.dir);
    expect(view).toMatchObject({ head: repo.head, detached: true, staged: "" });
    expect(view.status).toBe("!! pkg/node_modules/cached.js\n");
    expect(view.index).toBe(view.tree);
    expect(pool.slots()[0]).toMatchObject({ state: "free", cleanAt: repo.head });

    // The next task in the slot starts from the base and commits only its own change.
    const next = await pool.acquire(repo.head, "orchard/r/tasks/2");
    expect(next.dir).toBe(slot.dir);
    await addFile("two.txt")(next);
    const committed = await commitAll(git, next.dir, "Task 2\n", { since: next.base });
    expect(await rawGit(repo.dir, ["diff", "--name-status", repo.head, committed.commit!])).toBe(
      "A\ttwo.txt\n",
    );
    pool.release(next, { stagedKey: committed.cleanKey });
    await pool.settled();
    expect(git.checkouts()).toBe(0);
    expect((await gitView(slot.dir)).status).toBe("!! pkg/node_modules/cached.js\n");
  });

  it("is done without git in a slot adopted from an earlier pool, whose index is read at its hand-off", async () => {
    await task(1, addFile("one.txt"));
    await pool.settled();
    git = new RecordingGit(repo.dir);
    pool = new WorktreePool({ git, maxSlots: 1 });
    await pool.init();
    const slot = await task(2, addFile("two.txt"));
    expect(git.commands.filter((args) => args[0] !== "add" && args[0] !== "config")).toEqual([]);
    expect(existsSync(join(slot.dir, "two.txt"))).toBe(false);
    const view = await gitView(slot.dir);
    expect(view).toMatchObject({ head: repo.head, detached: true, staged: "", status: "" });
    expect(view.index).toBe(view.tree);
  });

  it("leaves the reset to git when a file was deleted or its mode changed", async () => {
    const slot = await task(1, (s) => rm(join(s.dir, "src/a.ts")));
    expect(git.checkouts()).toBe(1);
    expect(await readFile(join(slot.dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    await task(2, async (s) => {
      await chmod(join(s.dir, "src/b.ts"), 0o755);
      await addFile("two.txt")(s);
    });
    expect(git.checkouts()).toBe(2);
    const view = await gitView(slot.dir);
    expect(view).toMatchObject({ head: repo.head, detached: true, staged: "", status: "" });
  });

  it("leaves the reset to git when the slot's git dir holds more than HEAD, index and logs", async () => {
    const slot = await task(1, async (s) => {
      await addFile("one.txt")(s);
      const gitDir = (await rawGit(s.dir, ["rev-parse", "--absolute-git-dir"])).trim();
      await mkdir(join(gitDir, "rebase-merge"));
      await writeFile(join(gitDir, "rebase-merge", "head-name"), "refs/heads/x\n");
    });
    expect(git.checkouts()).toBe(1);
    expect(git.commands.some((args) => args[0] === "rebase" && args[1] === "--quit")).toBe(true);
    expect(existsSync(join(slot.dir, "one.txt"))).toBe(false);
  });

  it("leaves the reset to git in a repository whose paths are case-insensitive", async () => {
    await rawGit(repo.dir, ["config", "core.ignoreCase", "true"]);
    // The configuration is read once per Git: a new one (and pool) sees it.
    await pool.settled();
    git = new RecordingGit(repo.dir);
    pool = new WorktreePool({ git, maxSlots: 1 });
    await pool.init();
    const slot = await task(1, addFile("one.txt"));
    expect(git.checkouts()).toBe(1);
    expect(existsSync(join(slot.dir, "one.txt"))).toBe(false);
  });
});
