import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexSnapshot, undoAdditions } from "../../../src/git/slot-undo.js";
import { makeRepo, git as rawGit, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
let slot: string;
let gitDir: string;
let commonDir: string;

beforeEach(async () => {
  repo = await makeRepo();
  slot = join(repo.dir, ".orchard", "wt-1");
  await rawGit(repo.dir, ["worktree", "add", "-q", "--detach", slot, repo.head]);
  gitDir = (await rawGit(slot, ["rev-parse", "--absolute-git-dir"])).trim();
  commonDir = join(repo.dir, ".git");
});
afterEach(() => repo.cleanup());

const indexNow = () => readFile(join(gitDir, "index"));

describe("undoAdditions", () => {
  it("declines, changing nothing, while another git holds the slot's index lock", async () => {
    const snapshot = new IndexSnapshot(repo.head, await indexNow());
    await writeFile(join(slot, "new.txt"), "new\n");
    await rawGit(slot, ["add", "-A"]);
    await writeFile(join(gitDir, "index.lock"), "");
    expect(await undoAdditions(slot, gitDir, commonDir, snapshot)).toBe(false);
    expect(existsSync(join(slot, "new.txt"))).toBe(true);
    expect(await readFile(join(gitDir, "index.lock"), "utf8")).toBe("");
  });

  it("declines a modified file and leaves it as the task left it", async () => {
    const snapshot = new IndexSnapshot(repo.head, await indexNow());
    await writeFile(join(slot, "src/a.ts"), "changed\n");
    await rawGit(slot, ["add", "-A"]);
    const before = await indexNow();
    expect(await undoAdditions(slot, gitDir, commonDir, snapshot)).toBe(false);
    expect(await readFile(join(slot, "src/a.ts"), "utf8")).toBe("changed\n");
    expect((await indexNow()).equals(before)).toBe(true);
  });
});

describe("IndexSnapshot", () => {
  it("takes no index with an untracked cache or skip-worktree entries: restoring one would lie to git", async () => {
    expect(new IndexSnapshot(repo.head, await indexNow()).entries()?.get("src/a.ts")).toMatch(
      /^100644 [0-9a-f]{40}$/,
    );
    await rawGit(slot, ["-c", "core.untrackedCache=true", "update-index", "--untracked-cache"]);
    await rawGit(slot, ["-c", "core.untrackedCache=true", "status", "--porcelain"]);
    expect(new IndexSnapshot(repo.head, await indexNow()).entries()).toBeNull();
    await rawGit(slot, ["update-index", "--no-untracked-cache"]);
    await rawGit(slot, ["update-index", "--skip-worktree", "src/a.ts"]);
    expect(new IndexSnapshot(repo.head, await indexNow()).entries()).toBeNull();
  });
});
