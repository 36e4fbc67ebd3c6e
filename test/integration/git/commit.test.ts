import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll, Git, ORCHARD_IDENTITY } from "../../../src/git/index.js";
import { makeRepo, git as rawGit, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
let git: Git;
let wt: string;

beforeEach(async () => {
  repo = await makeRepo();
  git = new Git(repo.dir);
  wt = join(repo.dir, ".orchard", "wt-test");
  await repo.git(["worktree", "add", "-q", "-b", "orchard/r/tasks/1", wt, "main"]);
});
afterEach(() => repo.cleanup());

const show = (ref: string) => rawGit(wt, ["show", "--name-status", "--format=%s", ref]);

describe("commitAll", () => {
  it("commits new, modified, deleted and space-named files, but not ignored ones", async () => {
    await writeFile(join(wt, "new file.ts"), "new\n");
    await writeFile(join(wt, "src/a.ts"), "export const a = 42;\n");
    await rm(join(wt, "src/b.ts"));
    await mkdir(join(wt, "node_modules/x"), { recursive: true });
    await writeFile(join(wt, "node_modules/x/index.js"), "ignored\n");

    const result = await commitAll(git, wt, "Task 1: do it\n\nDetails.", { since: repo.head });
    expect(result).toMatchObject({ changed: true, committedNow: true, onSince: true });
    expect(result.commit).toBe((await rawGit(wt, ["rev-parse", "HEAD"])).trim());
    expect(await show("HEAD")).toBe("Task 1: do it\n\nA\tnew file.ts\nM\tsrc/a.ts\nD\tsrc/b.ts\n");
    expect(await rawGit(wt, ["status", "--porcelain"])).toBe("");
    expect(await rawGit(wt, ["ls-files", "node_modules"])).toBe("");
  });

  it("returns null when nothing changed at all", async () => {
    expect(await commitAll(git, wt, "nothing", { since: repo.head })).toMatchObject({
      commit: null,
      changed: false,
      committedNow: false,
    });
    expect((await rawGit(wt, ["rev-parse", "HEAD"])).trim()).toBe(repo.head);
  });

  it("keeps the agent's own commits and commits what it left uncommitted on top", async () => {
    await writeFile(join(wt, "agent.txt"), "by agent\n");
    await rawGit(wt, ["add", "agent.txt"]);
    await rawGit(wt, ["commit", "-q", "-m", "agent commit"]);
    const agentCommit = (await rawGit(wt, ["rev-parse", "HEAD"])).trim();
    await writeFile(join(wt, "leftover.txt"), "left\n");

    const result = await commitAll(git, wt, "Task 1", { since: repo.head });
    expect(result).toMatchObject({ changed: true, committedNow: true });
    expect(result.onSince).toBeUndefined();
    expect((await rawGit(wt, ["rev-parse", `${result.commit}^`])).trim()).toBe(agentCommit);
  });

  it("reports agent commits alone without committing, and notices when they net to nothing", async () => {
    await writeFile(join(wt, "tmp.txt"), "x\n");
    await rawGit(wt, ["add", "tmp.txt"]);
    await rawGit(wt, ["commit", "-q", "-m", "add"]);
    const only = await commitAll(git, wt, "Task 1", { since: repo.head });
    expect(only).toMatchObject({ changed: true, committedNow: false });

    await rawGit(wt, ["rm", "-q", "tmp.txt"]);
    await rawGit(wt, ["commit", "-q", "-m", "remove"]);
    const undone = await commitAll(git, wt, "Task 1", { since: repo.head });
    expect(undone.commit).not.toBeNull();
    expect(undone).toMatchObject({ changed: false, committedNow: false });
  });

  it("makes an empty commit only when asked", async () => {
    const result = await commitAll(git, wt, "Task 1 (no changes)", { since: repo.head, allowEmpty: true });
    expect(result).toMatchObject({ changed: false, committedNow: true });
    expect(result.commit).not.toBe(repo.head);
  });

  it("runs no hooks for its own commit", async () => {
    const hooks = join(repo.dir, ".git", "hooks");
    for (const name of ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"]) {
      await writeFile(join(hooks, name), `#!/bin/sh\ntouch "${join(repo.dir, `ran-${name}`)}"\nexit 1\n`);
      await chmod(join(hooks, name), 0o755);
    }
    await writeFile(join(wt, "x.txt"), "x\n");
    const result = await commitAll(git, wt, "Task 1", { since: repo.head });
    expect(result.committedNow).toBe(true);
    expect(await rawGit(repo.dir, ["ls-files", "--others", "--exclude-standard"])).not.toMatch(/ran-/);
  });

  it("uses the author given, and Orchard's identity only where the repository has none", async () => {
    await writeFile(join(wt, "a.txt"), "a\n");
    const authored = await commitAll(git, wt, "m", { since: repo.head, author: "Ada <ada@example.com>" });
    expect((await rawGit(wt, ["show", "-s", "--format=%an <%ae>|%cn", authored.commit!])).trim()).toBe(
      "Ada <ada@example.com>|Test",
    );

    const bare = await makeRepo({ identity: false });
    const saved = { ...process.env };
    const emptyConfig = join(bare.dir, ".git", "empty-global");
    await writeFile(emptyConfig, "");
    Object.assign(process.env, { GIT_CONFIG_GLOBAL: emptyConfig, GIT_CONFIG_NOSYSTEM: "1" });
    for (const key of ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"]) {
      delete process.env[key];
    }
    try {
      await bare.write("b.txt", "b\n");
      const result = await commitAll(new Git(bare.dir), bare.dir, "m", { since: bare.head });
      expect((await bare.git(["show", "-s", "--format=%an <%ae>", result.commit!])).trim()).toBe(
        `${ORCHARD_IDENTITY.name} <${ORCHARD_IDENTITY.email}>`,
      );
    } finally {
      process.env = saved;
      await bare.cleanup();
    }
  });
});

describe("commitAll on Orchard's branches, written in-process", () => {
  /** The same change committed by `git commit` on a branch that is not Orchard's. */
  async function byGit(change: (dir: string) => Promise<void>, message: string, author?: string) {
    const other = join(repo.dir, ".orchard", "wt-git");
    await repo.git(["worktree", "add", "-q", "-b", "plain/1", other, "main"]);
    await change(other);
    const result = await commitAll(git, other, message, { since: repo.head, ...(author ? { author } : {}) });
    return { dir: other, commit: result.commit! };
  }
  /** A commit object without its dates. */
  const undated = async (dir: string, commit: string) =>
    (await rawGit(dir, ["cat-file", "commit", commit])).replace(/> \d+ [+-]\d{4}$/gm, ">");
  const change = async (dir: string) => {
    await writeFile(join(dir, "new.ts"), "new\n");
    await writeFile(join(dir, "src/a.ts"), "export const a = 7;\n");
    await rm(join(dir, "src/b.ts"));
  };

  it("makes the commit git would make, and moves the branch", async () => {
    const reflog = await rawGit(wt, ["reflog", "-n1", "orchard/r/tasks/1"]);
    await change(wt);
    const ours = await commitAll(git, wt, "Task 1.1: make it\n\nOrchard-Task: 1.1", { since: repo.head });
    expect(ours).toMatchObject({ changed: true, committedNow: true, onSince: true });
    const theirs = await byGit(change, "Task 1.1: make it\n\nOrchard-Task: 1.1");
    expect(await undated(wt, ours.commit!)).toBe(await undated(theirs.dir, theirs.commit));
    expect((await rawGit(wt, ["rev-parse", "refs/heads/orchard/r/tasks/1"])).trim()).toBe(ours.commit);
    expect(await rawGit(wt, ["status", "--porcelain"])).toBe("");
    // No reflog entry: the branch moved without git.
    expect(await rawGit(wt, ["reflog", "-n1", "orchard/r/tasks/1"])).toBe(reflog);
    expect((await repo.git(["fsck", "--no-progress", "--no-dangling"])).trim()).toBe("");
  });

  it("honours --author", async () => {
    const reflog = await rawGit(wt, ["reflog", "-n1", "orchard/r/tasks/1"]);
    await change(wt);
    const ours = await commitAll(git, wt, "Subject\n", { since: repo.head, author: "Ada <ada@example.com>" });
    const theirs = await byGit(change, "Subject\n", "Ada <ada@example.com>");
    expect(await undated(wt, ours.commit!)).toBe(await undated(theirs.dir, theirs.commit));
    expect(await rawGit(wt, ["log", "-1", "--format=%an <%ae>|%cn", ours.commit!])).toBe(
      "Ada <ada@example.com>|Test\n",
    );
    expect(await rawGit(wt, ["reflog", "-n1", "orchard/r/tasks/1"])).toBe(reflog);
  });

  it("leaves a message git would tidy to git", async () => {
    await change(wt);
    const ours = await commitAll(git, wt, "Subject  \n\n\nBody\n", { since: repo.head });
    const theirs = await byGit(change, "Subject  \n\n\nBody\n");
    expect(await undated(wt, ours.commit!)).toBe(await undated(theirs.dir, theirs.commit));
    expect(await rawGit(wt, ["log", "-1", "--format=%B", ours.commit!])).toBe("Subject\n\nBody\n\n");
  });

  it("commits nothing when nothing changed, and an empty commit when asked to", async () => {
    const blob = (await rawGit(wt, ["rev-parse", `${repo.head}:.gitignore`])).trim();
    expect(await commitAll(git, wt, "nothing\n", { since: repo.head })).toEqual({
      commit: null,
      changed: false,
      committedNow: false,
      // All staged, nothing committed: the index is the base's, whose one .gitignore is its clean key.
      cleanKey: `100644 ${blob} .gitignore\n`,
    });
    const empty = await commitAll(git, wt, "empty\n", { since: repo.head, allowEmpty: true });
    expect(empty).toMatchObject({ changed: false, committedNow: true, onSince: true });
    expect((await rawGit(wt, ["rev-parse", `${empty.commit}^{tree}`])).trim()).toBe(
      (await rawGit(wt, ["rev-parse", `${repo.head}^{tree}`])).trim(),
    );
    expect((await rawGit(wt, ["rev-parse", `${empty.commit}^`])).trim()).toBe(repo.head);
  });
});
