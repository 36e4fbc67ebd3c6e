import { chmod, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeIndexTree } from "../../../src/git/index-tree.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
const index = () => join(repo.dir, ".git", "index");
const objects = () => join(repo.dir, ".git");
/** What git writes for the same index (asked after ours: git then finds the objects we wrote). */
const gitTree = async () => (await repo.git(["write-tree"])).trim();

beforeEach(async () => {
  repo = await makeRepo({
    files: {
      "a-b": "1\n",
      "a/c": "2\n",
      a0: "3\n",
      "a.txt": "4\n",
      "ab/c/d/e.txt": "5\n",
      "dir with space/\u00e9t\u00e9.txt": "6\n",
      "z/y/x": "7\n",
    },
  });
});
afterEach(() => repo.cleanup());

describe("writeIndexTree", () => {
  it("writes the tree git write-tree writes: nested, odd names, modes, a gitlink, deletions", async () => {
    await repo.write("a/new.txt", "new\n");
    await repo.write("run.sh", "#!/bin/sh\n");
    await chmod(join(repo.dir, "run.sh"), 0o755);
    await symlink("a-b", join(repo.dir, "link"));
    await repo.git(["rm", "-q", "z/y/x"]);
    await repo.git(["add", "-A"]);
    await repo.git(["update-index", "--add", "--cacheinfo", `160000,${repo.head},sub`]);
    const ours = writeIndexTree(index(), objects());
    expect(ours).toBe(await gitTree());
    // Git reads what we wrote: every tree and the objects they name are sound.
    expect(await repo.git(["ls-tree", "-r", "--name-only", ours!])).toContain("dir with space/");
    await repo.git(["fsck", "--strict", "--no-dangling"]);
  });

  it("reads index versions 3 and 4 (skip-worktree flags, prefix-compressed names)", async () => {
    await repo.write("ab/c/new.txt", "n\n");
    await repo.git(["add", "-A"]);
    await repo.git(["update-index", "--skip-worktree", "a0"]);
    expect(writeIndexTree(index(), objects())).toBe(await gitTree());
    await repo.git(["update-index", "--index-version", "4"]);
    expect(writeIndexTree(index(), objects())).toBe(await gitTree());
  });

  it("takes a path longer than the entry's 12-bit name length", async () => {
    const long = `${Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, "0")}${"d".repeat(198)}`).join("/")}/f`;
    expect(long.length).toBeGreaterThan(0xfff);
    const blob = (await repo.git(["hash-object", "-w", "--stdin"], "long\n")).trim();
    await repo.git(["update-index", "--add", "--cacheinfo", `100644,${blob},${long}`]);
    expect(writeIndexTree(index(), objects())).toBe(await gitTree());
  });

  it("writes the empty tree for an empty index", async () => {
    await repo.git(["rm", "-q", "-r", "--cached", "."]);
    expect(writeIndexTree(index(), objects())).toBe("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  });

  it("leaves to git what it does not read: intent-to-add, unmerged entries, a split index", async () => {
    await repo.write("later.txt", "l\n");
    await repo.git(["add", "-N", "later.txt"]);
    expect(writeIndexTree(index(), objects())).toBeNull();
    await repo.git(["reset", "-q"]);

    await repo.git(["update-index", "--split-index"]);
    expect(writeIndexTree(index(), objects())).toBeNull();
    await repo.git(["update-index", "--no-split-index"]);
    expect(writeIndexTree(index(), objects())).toBe(await gitTree());

    await repo.git(["checkout", "-q", "-b", "other"]);
    await repo.write("a0", "other\n");
    await repo.commit("other");
    await repo.git(["checkout", "-q", "main"]);
    await repo.write("a0", "main\n");
    await repo.commit("main");
    await repo.git(["merge", "-q", "other"]).catch(() => undefined);
    expect(await repo.git(["ls-files", "-u"])).not.toBe("");
    expect(writeIndexTree(index(), objects())).toBeNull();
  });

  it("gives null for a missing or malformed index", async () => {
    expect(writeIndexTree(join(repo.dir, "no-index"), objects())).toBeNull();
    expect(writeIndexTree(join(repo.dir, "a-b"), objects())).toBeNull();
  });
});
