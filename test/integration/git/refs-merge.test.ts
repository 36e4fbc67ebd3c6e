import { rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deleteRef,
  Git,
  isAncestor,
  isGitError,
  LandingWorktree,
  listRefs,
  resolveCommit,
  revParse,
  tryRevParse,
  updateRef,
} from "../../../src/git/index.js";
import {
  branchWith as branchWithIn,
  makeRepo,
  git as rawGit,
  type TestRepo,
} from "../../helpers/git-repo.js";
import { gpgKey } from "./signing.js";

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

describe("LandingWorktree", () => {
  let landing: LandingWorktree;
  beforeEach(() => {
    landing = new LandingWorktree(git, join(repo.dir, ".git", "orchard", "land", "r"));
  });
  afterEach(() => landing.close());

  /** What `git merge --no-ff` makes of `theirs` on `head` in a fresh worktree: its tree, or its conflicts. */
  async function plainMerge(
    head: string,
    theirs: string,
  ): Promise<{ tree: string } | { conflicts: string[] }> {
    const dir = join(repo.dir, ".git", "plain-merge");
    await repo.git(["worktree", "add", "-q", "--detach", dir, head]);
    try {
      const merged = await execa("git", ["merge", "-q", "--no-ff", "-m", "plain", theirs], {
        cwd: dir,
        reject: false,
      });
      if (merged.exitCode === 0) return { tree: (await rawGit(dir, ["rev-parse", "HEAD^{tree}"])).trim() };
      const { stdout } = await execa("git", ["diff", "--name-only", "--diff-filter=U"], { cwd: dir });
      return { conflicts: stdout.split("\n").filter(Boolean) };
    } finally {
      await repo.git(["worktree", "remove", "--force", dir]);
    }
  }

  async function land(ref: string, expectedHead: string, theirs: string, message = "Merge\n") {
    const result = await landing.merge({ ref, expectedHead, theirs, message });
    const plain = await plainMerge(expectedHead, theirs);
    if (result.kind === "conflict") expect(plain).toEqual({ conflicts: result.conflicts });
    else if (result.commit !== expectedHead) {
      expect(plain).toEqual({ tree: await revParse(git, `${result.commit}^{tree}`) });
    }
    return result;
  }

  it("lands a clean merge as a --no-ff commit and moves the ref; contained work lands as the head", async () => {
    const ref = "refs/heads/orchard/r/integration";
    await updateRef(git, ref, repo.head, null);
    const task = await branchWith("t1", "main", { "t1.txt": "1\n" });
    const result = await land(ref, repo.head, task, "Task 1\n\nOrchard-Task: 1\n");
    expect(result.kind).toBe("merged");
    if (result.kind !== "merged") return;
    expect(await revParse(git, ref)).toBe(result.commit);
    expect((await repo.git(["show", "-s", "--format=%P%n%B", result.commit])).trim()).toBe(
      `${repo.head} ${task}\nTask 1\n\nOrchard-Task: 1`,
    );
    expect(await landing.merge({ ref, expectedHead: result.commit, theirs: task, message: "again" })).toEqual(
      {
        kind: "merged",
        commit: result.commit,
      },
    );
    expect(await repo.git(["status", "--porcelain"])).toBe("");
  });

  it("reports the conflicting paths and never moves the ref on a conflict; the next merge is clean", async () => {
    const ref = "refs/heads/orchard/r/integration";
    const first = await branchWith("t1", "main", { "src/a.ts": "one\n" });
    await updateRef(git, ref, first, null);
    const second = await branchWith("t2", "main", { "src/a.ts": "two\n", "ok.txt": "fine\n" });
    expect(await land(ref, first, second)).toEqual({ kind: "conflict", conflicts: ["src/a.ts"] });
    expect(await revParse(git, ref)).toBe(first);
    const third = await branchWith("t3", "main", { "t3.txt": "3\n" });
    expect((await land(ref, first, third)).kind).toBe("merged");
  });

  it("refuses to move a ref that moved underneath (REF_CHANGED)", async () => {
    const ref = "refs/heads/orchard/r/integration";
    await updateRef(git, ref, repo.head, null);
    const t1 = await branchWith("t1", "main", { "t1.txt": "1\n" });
    const t2 = await branchWith("t2", "main", { "t2.txt": "2\n" });
    await updateRef(git, ref, t2, repo.head);
    const error = await landing
      .merge({ ref, expectedHead: repo.head, theirs: t1, message: "1" })
      .catch((e) => e);
    expect(isGitError(error, "REF_CHANGED")).toBe(true);
    expect(await revParse(git, ref)).toBe(t2);
  });

  it("merges a task commit with two parents on the real merge base (issue 19, item 1)", async () => {
    const lines = (first: string) => `${first}\nline 2\nline 3\nline 4\nline 5\n`;
    await repo.write("shared.txt", lines("base"));
    const base = await repo.commit("base");
    const side = await branchWith("side", base, { "shared.txt": lines("side") });
    // The integration branch took `side`, then changed that line again.
    const ref = "refs/heads/orchard/r/integration";
    await updateRef(git, ref, base, null);
    const one = await land(ref, base, side);
    if (one.kind !== "merged") throw new Error("side did not land");
    const later = await branchWith("later", one.commit, { "shared.txt": lines("later") });
    const two = await land(ref, one.commit, later);
    if (two.kind !== "merged") throw new Error("later did not land");
    // A task on the old base merged `side` too (an agent's merge, two parents) and changed another file.
    await repo.git(["checkout", "-q", "-b", "task", base]);
    await repo.git(["merge", "-q", "--no-ff", "-m", "agent merge", "side"]);
    await repo.write("task.txt", "task\n");
    const task = await repo.commit("task");
    await repo.git(["checkout", "-q", "main"]);
    const result = await land(ref, two.commit, task);
    expect(result.kind).toBe("merged");
    if (result.kind !== "merged") return;
    expect(await repo.git(["show", `${result.commit}:shared.txt`])).toBe(lines("later"));
  });

  it("merges with the integration branch's .gitattributes, not the user's checkout's (issue 19, item 3)", async () => {
    const ref = "refs/heads/orchard/r/integration";
    await repo.write("notes.txt", "base\n");
    const base = await repo.commit("notes");
    const a = await branchWith("a", base, { "notes.txt": "base\nfrom a\n" });
    const b = await branchWith("b", base, { "notes.txt": "base\nfrom b\n" });
    // An untracked union attribute in the user's checkout must not turn the conflict into a union.
    await repo.write(".gitattributes", "notes.txt merge=union\n");
    await updateRef(git, ref, base, null);
    const first = await land(ref, base, a);
    if (first.kind !== "merged") throw new Error("a did not land");
    expect(await land(ref, first.commit, b)).toEqual({ kind: "conflict", conflicts: ["notes.txt"] });
    // The integration branch's own union attribute does apply.
    await rm(join(repo.dir, ".gitattributes"));
    const attrs = await branchWith("attrs", first.commit, { ".gitattributes": "notes.txt merge=union\n" });
    const withAttrs = await land(ref, first.commit, attrs);
    if (withAttrs.kind !== "merged") throw new Error("attrs did not land");
    const c = await branchWith("c", base, { "notes.txt": "base\nfrom c\n" });
    const union = await land(ref, withAttrs.commit, c);
    expect(union.kind).toBe("merged");
  });

  it("signs merges under commit.gpgSign (issue 19, item 7)", async () => {
    const key = await gpgKey();
    if (!key) return;
    await repo.git(["config", "commit.gpgSign", "true"]);
    await repo.git(["config", "user.signingKey", key.id]);
    const saved = process.env.GNUPGHOME;
    process.env.GNUPGHOME = key.home;
    try {
      const ref = "refs/heads/orchard/r/integration";
      await updateRef(git, ref, repo.head, null);
      const task = await branchWith("t1", "main", { "t1.txt": "1\n" });
      const result = await landing.merge({ ref, expectedHead: repo.head, theirs: task, message: "Task 1\n" });
      if (result.kind !== "merged") throw new Error("no merge");
      expect(await repo.git(["cat-file", "commit", result.commit])).toMatch(
        /^gpgsig -----BEGIN PGP SIGNATURE/m,
      );
    } finally {
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
    }
  });
});
