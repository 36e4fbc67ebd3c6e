import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  commitTree,
  deleteRef,
  Git,
  isAncestor,
  isGitError,
  listRefs,
  mergeIntoRef,
  mergeTree,
  resolveCommit,
  revParse,
  tryRevParse,
  updateRef,
} from "../../../src/git/index.js";
import { branchWith as branchWithIn, makeRepo, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
let git: Git;

beforeEach(async () => {
  repo = await makeRepo();
  git = new Git(repo.dir);
});
afterEach(() => repo.cleanup());

const branchWith = (name: string, from: string, files: Record<string, string>) =>
  branchWithIn(repo, name, from, files);

describe("ref helpers", () => {
  it("resolves, and tells absent refs apart", async () => {
    expect(await revParse(git, "main")).toBe(repo.head);
    expect(await tryRevParse(git, "refs/heads/nope")).toBeNull();
    expect(await tryRevParse(git, "--output=x")).toBeNull();
    await expect(revParse(git, "nope")).rejects.toMatchObject({ code: "BAD_REVISION" });
    const tree = await revParse(git, "HEAD^{tree}");
    await expect(resolveCommit(git, tree)).rejects.toMatchObject({ code: "BAD_REVISION" });
    expect(await resolveCommit(git, "main")).toBe(repo.head);
  });

  it("updateRef is a compare-and-swap", async () => {
    const next = await branchWith("next", "main", { "n.txt": "n\n" });
    const ref = "refs/heads/orchard/r1/integration";
    await updateRef(git, ref, repo.head, null);
    await expect(updateRef(git, ref, next, null)).rejects.toMatchObject({ code: "REF_CHANGED" });
    await expect(updateRef(git, ref, next, next)).rejects.toMatchObject({ code: "REF_CHANGED" });
    expect(await revParse(git, ref)).toBe(repo.head);
    await updateRef(git, ref, next, repo.head);
    expect(await revParse(git, ref)).toBe(next);
    await expect(updateRef(git, "refs/heads/orchard/missing", next, repo.head)).rejects.toMatchObject({
      code: "REF_CHANGED",
    });
  });

  it("deleteRef honours the expected value and tolerates an absent ref", async () => {
    const ref = "refs/heads/orchard/r1/tasks/1";
    await updateRef(git, ref, repo.head);
    const other = await branchWith("other", "main", { "o.txt": "o\n" });
    await expect(deleteRef(git, ref, other)).rejects.toMatchObject({ code: "REF_CHANGED" });
    await deleteRef(git, ref, repo.head);
    expect(await tryRevParse(git, ref)).toBeNull();
    await deleteRef(git, ref);
  });

  it("lists refs under a prefix and answers ancestry", async () => {
    const next = await branchWith("next", "main", { "n.txt": "n\n" });
    await updateRef(git, "refs/heads/orchard/a/integration", repo.head);
    await updateRef(git, "refs/heads/orchard/a/tasks/1", next);
    expect(await listRefs(git, "refs/heads/orchard/")).toEqual([
      { ref: "refs/heads/orchard/a/integration", sha: repo.head },
      { ref: "refs/heads/orchard/a/tasks/1", sha: next },
    ]);
    expect(await isAncestor(git, repo.head, next)).toBe(true);
    expect(await isAncestor(git, next, repo.head)).toBe(false);
  });
});

describe("mergeTree and mergeIntoRef", () => {
  it("merges cleanly without touching the checkout", async () => {
    const a = await branchWith("a", "main", { "a.txt": "a\n" });
    const b = await branchWith("b", "main", { "b.txt": "b\n" });
    const result = await mergeTree(git, a, b);
    expect(result.clean).toBe(true);
    if (!result.clean) return;
    const commit = await commitTree(git, result.tree, [a, b], "merge b\n\nbody");
    expect((await repo.git(["show", "-s", "--format=%P%n%B", commit])).trimEnd()).toBe(
      `${a} ${b}\nmerge b\n\nbody`,
    );
    expect(await repo.git(["ls-tree", "--name-only", "-r", commit])).toContain("a.txt\nb.txt\n");
    expect(await repo.git(["status", "--porcelain"])).toBe("");
  });

  it("lands a commit made directly on the head by its own tree, as the same --no-ff merge", async () => {
    const ref = "refs/heads/orchard/r2/integration";
    await updateRef(git, ref, repo.head, null);
    // Every landing here comes with the hint that the task's commit sits on main's head.
    const land = (expectedHead: string, theirs: string) =>
      mergeIntoRef(git, { ref, expectedHead, theirs, message: "Merge\n", theirsParent: repo.head });
    const task = await branchWith("t", "main", { "t.txt": "t\n" });
    const result = await land(repo.head, task);
    expect(result.kind).toBe("merged");
    if (result.kind !== "merged") return;
    expect(await revParse(git, ref)).toBe(result.commit);
    expect((await repo.git(["show", "-s", "--format=%P", result.commit])).trim()).toBe(
      `${repo.head} ${task}`,
    );
    expect(await revParse(git, `${result.commit}^{tree}`)).toBe(await revParse(git, `${task}^{tree}`));
    // A hint that does not match the head is ignored: the merge is computed.
    const other = await branchWith("o", "main", { "o.txt": "o\n" });
    const second = await land(result.commit, other);
    expect(second.kind).toBe("merged");
    if (second.kind !== "merged") return;
    expect(await repo.git(["ls-tree", "--name-only", "-r", second.commit])).toContain("o.txt");
    expect(await repo.git(["ls-tree", "--name-only", "-r", second.commit])).toContain("t.txt");
  });

  it("lands a run of tasks made on one base with the trees and conflicts git's merge of the head gives", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    await repo.write("shared.txt", `${lines.join("\n")}\n`);
    const base = await repo.commit("base");
    const ref = "refs/heads/orchard/r3/integration";
    await updateRef(git, ref, base, null);
    const edit = (i: number, text: string) => `${lines.map((l, j) => (j === i ? text : l)).join("\n")}\n`;
    const tasks = [
      ...Array.from({ length: 8 }, (_, i) => ({ [`t${i}.txt`]: `task ${i}\n` })),
      { "shared.txt": edit(0, "first line, by one task") },
      { "shared.txt": edit(11, "last line, by another") },
      { "shared.txt": edit(0, "first line, by a third: a conflict") },
    ];
    let head = base;
    for (const [i, files] of tasks.entries()) {
      const theirs = await branchWith(`task-${i}`, base, files);
      // What git makes of merging the real head (it walks the landed history for the merge base).
      const direct = await mergeTree(git, head, theirs);
      const result = await mergeIntoRef(git, {
        ref,
        expectedHead: head,
        theirs,
        message: `Merge ${i}\n`,
        theirsParent: base,
      });
      if (!direct.clean) {
        expect(result).toEqual({ kind: "conflict", conflicts: direct.conflicts });
        expect(i).toBe(tasks.length - 1);
        continue;
      }
      expect(result.kind).toBe("merged");
      if (result.kind !== "merged") return;
      expect(await revParse(git, `${result.commit}^{tree}`)).toBe(direct.tree);
      expect((await repo.git(["show", "-s", "--format=%P", result.commit])).trim()).toBe(`${head} ${theirs}`);
      head = result.commit;
    }
    expect(await revParse(git, ref)).toBe(head);
    expect((await repo.git(["show", `${head}:shared.txt`])).split("\n")).toEqual([
      "first line, by one task",
      ...lines.slice(1, 11),
      "last line, by another",
      "",
    ]);
    expect((await repo.git(["fsck", "--no-progress", "--no-dangling"])).trim()).toBe("");
  });

  it("reports conflicting paths and git's message", async () => {
    const a = await branchWith("a", "main", { "src/a.ts": "export const a = 'A';\n" });
    const b = await branchWith("b", "main", { "src/a.ts": "export const a = 'B';\n", "ok.txt": "fine\n" });
    const result = await mergeTree(git, a, b);
    expect(result).toEqual({
      clean: false,
      conflicts: ["src/a.ts"],
      message: "CONFLICT (content): Merge conflict in src/a.ts",
    });
  });

  it("lands a clean merge as a --no-ff commit and moves the ref", async () => {
    const ref = "refs/heads/orchard/r/integration";
    await updateRef(git, ref, repo.head, null);
    const task = await branchWith("t1", "main", { "t1.txt": "1\n" });
    const result = await mergeIntoRef(git, { ref, expectedHead: repo.head, theirs: task, message: "Task 1" });
    expect(result.kind).toBe("merged");
    if (result.kind !== "merged") return;
    expect(await revParse(git, ref)).toBe(result.commit);
    expect((await repo.git(["show", "-s", "--format=%P", result.commit])).trim()).toBe(
      `${repo.head} ${task}`,
    );
    // Already merged work is not merged twice.
    expect(
      await mergeIntoRef(git, { ref, expectedHead: result.commit, theirs: task, message: "again" }),
    ).toEqual({
      kind: "merged",
      commit: result.commit,
    });
  });

  it("never moves the ref on a conflict", async () => {
    const ref = "refs/heads/orchard/r/integration";
    const first = await branchWith("t1", "main", { "src/a.ts": "one\n" });
    await updateRef(git, ref, first, null);
    const second = await branchWith("t2", "main", { "src/a.ts": "two\n" });
    const result = await mergeIntoRef(git, { ref, expectedHead: first, theirs: second, message: "Task 2" });
    expect(result).toEqual({ kind: "conflict", conflicts: ["src/a.ts"] });
    expect(await revParse(git, ref)).toBe(first);
  });

  it("refuses to move a ref that moved underneath (REF_CHANGED) and leaves it where the other writer put it", async () => {
    const ref = "refs/heads/orchard/r/integration";
    await updateRef(git, ref, repo.head, null);
    const t1 = await branchWith("t1", "main", { "t1.txt": "1\n" });
    const t2 = await branchWith("t2", "main", { "t2.txt": "2\n" });
    await updateRef(git, ref, t2, repo.head);
    const error = await mergeIntoRef(git, {
      ref,
      expectedHead: repo.head,
      theirs: t1,
      message: "Task 1",
    }).catch((e) => e);
    expect(isGitError(error, "REF_CHANGED")).toBe(true);
    expect(await revParse(git, ref)).toBe(t2);
  });
});
