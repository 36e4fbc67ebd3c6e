import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
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
    await task(1, addFile("one.txt"));
    // The first reset at this base ran clean and learnt the base's key from the slot's index.
    expect(git.cleans()).toBe(1);
    const slot = await task(2, async (s) => {
      await addFile("two.txt")(s);
      await mkdir(join(s.dir, "node_modules/x"), { recursive: true });
      await writeFile(join(s.dir, "node_modules/x/index.js"), "warm\n");
    });
    expect(git.cleans()).toBe(1);
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
    expect(git.cleans()).toBe(2);
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
    expect(git.cleans()).toBe(2);
    expect(existsSync(join(slot.dir, "vendor"))).toBe(false);
    expect(await status(slot.dir)).toBe("");
  });

  it("cleans when the release says nothing of what was staged", async () => {
    await task(1, addFile("one.txt"));
    const slot = await pool.acquire(repo.head, "orchard/r/tasks/2");
    await writeFile(join(slot.dir, "left.txt"), "left\n");
    pool.release(slot);
    await pool.settled();
    expect(git.cleans()).toBe(2);
    expect(existsSync(join(slot.dir, "left.txt"))).toBe(false);
  });
});
