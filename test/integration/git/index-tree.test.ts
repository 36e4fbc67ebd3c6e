import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { chmod, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCacheTree, parseIndex, writeIndexTree } from "../../../src/git/index-tree.js";
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

  it("takes a directory's tree from the cache tree where its object is there, as git write-tree does", async () => {
    await settle();
    await repo.write("new.txt", "n\n");
    await repo.git(["add", "-A"]);
    // Git trusts the cache tree's name for z/ (it checks only that the object exists), so an index
    // that names another tree there shows whether z/ was read from the cache or from the entries.
    const abTree = (await repo.git(["rev-parse", "HEAD:ab"])).trim();
    await setCachedTree("z", abTree);
    const ours = writeIndexTree(index(), objects());
    expect(ours).toBe(await gitTree());
    expect(await repo.git(["rev-parse", `${ours}:z`])).toBe(`${abTree}\n`);
  });

  it("takes a nested directory from the cache tree below one git add touched", async () => {
    await settle();
    await repo.write("ab/new.txt", "n\n");
    await repo.git(["add", "-A"]);
    const zTree = (await repo.git(["rev-parse", "HEAD:z"])).trim();
    await setCachedTree("c", zTree); // ab/c
    const ours = writeIndexTree(index(), objects());
    expect(ours).toBe(await gitTree());
    expect(await repo.git(["rev-parse", `${ours}:ab/c`])).toBe(`${zTree}\n`);
    expect(await repo.git(["rev-parse", `${ours}:ab/new.txt`])).not.toBe("");
  });

  it("writes a directory from the entries where the cache tree names a missing object, as git does", async () => {
    await settle();
    await repo.write("new.txt", "n\n");
    await repo.git(["add", "-A"]);
    await setCachedTree("z", "0123456789abcdef0123456789abcdef01234567");
    const ours = writeIndexTree(index(), objects());
    expect(ours).toBe(await gitTree());
    expect(await repo.git(["rev-parse", `${ours}:z`])).toBe(await repo.git(["rev-parse", "HEAD:z"]));
  });

  it("agrees with git write-tree over rounds of random changes on a settled checkout", async () => {
    // A seeded generator: the same rounds every time, spread over names that sort next to each other
    // (a, a-b, a.txt, a0, ab) at several depths, where a wrong span in the cache tree would show.
    let seed = 20261207;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const names = ["a", "a-b", "a.txt", "a0", "ab", "b", "dir with space"];
    let cached = 0;
    for (let round = 0; round < 12; round++) {
      await settle();
      const tracked = (await repo.git(["ls-files", "-z"])).split("\0").filter(Boolean);
      for (let op = 0; op < 1 + next(3); op++) {
        const kind = next(4);
        if (kind === 0 && tracked.length > 1) {
          await rm(join(repo.dir, tracked[next(tracked.length)]!), { force: true });
          continue;
        }
        if (kind === 1) {
          await chmod(join(repo.dir, tracked[next(tracked.length)]!), 0o755).catch(() => undefined);
          continue;
        }
        const depth = 1 + next(3);
        const path = Array.from({ length: depth }, () => names[next(names.length)]).join("/");
        // A file where a directory of the path would be, or a directory where the file would be: skip.
        const parts = path.split("/");
        const clash = parts.some((_, i) => {
          const at = join(repo.dir, ...parts.slice(0, i + 1));
          return existsSync(at) && statSync(at).isDirectory() !== i < parts.length - 1;
        });
        if (!clash) await repo.write(path, `round ${round} op ${op}\n`);
      }
      await repo.git(["add", "-A"]);
      const tree = parseIndex(await readFile(index()))!.treeExtension;
      if (tree && parseCacheTree(tree).size > 0) cached++;
      const ours = writeIndexTree(index(), objects());
      expect(ours, `round ${round}`).toBe(await gitTree());
      await repo.git(["commit", "-q", "--allow-empty", "-m", `round ${round}`]);
    }
    // Most rounds had directories left in the cache tree, so they were taken from it.
    expect(cached).toBeGreaterThan(6);
  });

  it("gives null for a missing or malformed index", async () => {
    expect(writeIndexTree(join(repo.dir, "no-index"), objects())).toBeNull();
    expect(writeIndexTree(join(repo.dir, "a-b"), objects())).toBeNull();
  });
});

/**
 * A checkout's index, whole cache tree included, with no racily clean entry: git re-reads the files of
 * those at the next `git add` and drops their directories from the cache tree, as it would for a
 * checkout less than a second old. Staging a file at the top afterwards drops only the root.
 */
async function settle(): Promise<void> {
  await repo.git(["reset", "-q", "--hard"]);
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const path of (await repo.git(["ls-files", "-z"])).split("\0").filter(Boolean)) {
    await utimes(join(repo.dir, path), hourAgo, hourAgo);
  }
  await repo.git(["update-index", "-q", "--refresh"]);
}

/**
 * Rewrites the index with `oid` as the cache tree's name for the directory named `dir` (a valid node
 * of the TREE extension, by its own name, which is unique here), and the index's checksum to match.
 */
async function setCachedTree(dir: string, oid: string): Promise<void> {
  const buf = await readFile(index());
  const ext = buf.lastIndexOf(Buffer.from("TREE"));
  expect(ext).toBeGreaterThan(0);
  // The node is its name, a NUL and "<entries> <subtrees>\n" (all its names here are unique).
  const at = buf.indexOf(Buffer.from(`${dir}\0`, "latin1"), ext + 8);
  const eol = buf.indexOf(10, at);
  expect(buf.toString("latin1", at + dir.length + 1, eol)).toMatch(/^\d+ \d+$/);
  Buffer.from(oid, "hex").copy(buf, eol + 1);
  createHash("sha1")
    .update(buf.subarray(0, buf.length - 20))
    .digest()
    .copy(buf, buf.length - 20);
  await writeFile(index(), buf);
}
