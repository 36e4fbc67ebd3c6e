import { chmod, mkdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll, Git, ORCHARD_IDENTITY, type SlotDirs } from "../../../src/git/index.js";
import { makeRepo, git as rawGit, snapshotCheckout, type TestRepo } from "../../helpers/git-repo.js";
import { gpgKey } from "./signing.js";

let repo: TestRepo;
let git: Git;
let wt: string;
let slot: SlotDirs;

/** A worktree like a slot, outside the user's working tree, on an Orchard task branch. */
async function addSlot(dir: string, branch: string): Promise<SlotDirs> {
  await repo.git(["worktree", "add", "-q", "-b", branch, dir, "main"]);
  return { dir, gitDir: (await rawGit(dir, ["rev-parse", "--absolute-git-dir"])).trim() };
}

beforeEach(async () => {
  repo = await makeRepo();
  git = new Git(repo.dir);
  wt = join(repo.dir, ".git", "orchard", "wt-test");
  slot = await addSlot(wt, "orchard/r/tasks/1");
});
afterEach(() => repo.cleanup());

const show = (ref: string) => rawGit(wt, ["show", "--name-status", "--format=%s", ref]);
const catCommit = (commit: string) => rawGit(wt, ["cat-file", "commit", commit]);

describe("commitAll", () => {
  it("commits new, modified, deleted and space-named files, but not ignored ones", async () => {
    await writeFile(join(wt, "new file.ts"), "new\n");
    await writeFile(join(wt, "src/a.ts"), "export const a = 42;\n");
    await rm(join(wt, "src/b.ts"));
    await mkdir(join(wt, "node_modules/x"), { recursive: true });
    await writeFile(join(wt, "node_modules/x/index.js"), "ignored\n");

    const result = await commitAll(git, slot, "Task 1: do it\n\nDetails.", { since: repo.head });
    expect(result).toMatchObject({ changed: true, committedNow: true, descends: true });
    expect(result.commit).toBe((await rawGit(wt, ["rev-parse", "HEAD"])).trim());
    expect(await show("HEAD")).toBe("Task 1: do it\n\nA\tnew file.ts\nM\tsrc/a.ts\nD\tsrc/b.ts\n");
    expect(await rawGit(wt, ["status", "--porcelain"])).toBe("");
    expect(await rawGit(wt, ["ls-files", "node_modules"])).toBe("");
  });

  it("returns null when nothing changed at all", async () => {
    expect(await commitAll(git, slot, "nothing", { since: repo.head })).toMatchObject({
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

    const result = await commitAll(git, slot, "Task 1", { since: repo.head });
    expect(result).toMatchObject({ changed: true, committedNow: true });
    expect((await rawGit(wt, ["rev-parse", `${result.commit}^`])).trim()).toBe(agentCommit);
  });

  it("reports agent commits alone without committing, and notices when they net to nothing", async () => {
    await writeFile(join(wt, "tmp.txt"), "x\n");
    await rawGit(wt, ["add", "tmp.txt"]);
    await rawGit(wt, ["commit", "-q", "-m", "add"]);
    const only = await commitAll(git, slot, "Task 1", { since: repo.head });
    expect(only).toMatchObject({ changed: true, committedNow: false });

    await rawGit(wt, ["rm", "-q", "tmp.txt"]);
    await rawGit(wt, ["commit", "-q", "-m", "remove"]);
    const undone = await commitAll(git, slot, "Task 1", { since: repo.head });
    expect(undone.commit).not.toBeNull();
    expect(undone).toMatchObject({ changed: false, committedNow: false });
  });

  it("uses the author given, and Orchard's identity only where git finds none", async () => {
    await writeFile(join(wt, "a.txt"), "a\n");
    const authored = await commitAll(git, slot, "m", { since: repo.head, author: "Ada <ada@example.com>" });
    expect((await rawGit(wt, ["show", "-s", "--format=%an <%ae>|%cn", authored.commit!])).trim()).toBe(
      "Ada <ada@example.com>|Test",
    );

    const saved = { ...process.env };
    const emptyConfig = join(repo.dir, ".git", "empty-global");
    await writeFile(emptyConfig, "");
    await repo.git(["config", "--unset", "user.name"]);
    await repo.git(["config", "--unset", "user.email"]);
    await repo.git(["config", "user.useConfigOnly", "true"]);
    Object.assign(process.env, { GIT_CONFIG_GLOBAL: emptyConfig, GIT_CONFIG_NOSYSTEM: "1" });
    for (const key of [
      "GIT_AUTHOR_NAME",
      "GIT_AUTHOR_EMAIL",
      "GIT_COMMITTER_NAME",
      "GIT_COMMITTER_EMAIL",
      "EMAIL",
    ]) {
      delete process.env[key];
    }
    try {
      await writeFile(join(wt, "b.txt"), "b\n");
      const result = await commitAll(git, slot, "m", { since: repo.head });
      expect((await rawGit(wt, ["show", "-s", "--format=%an <%ae>", result.commit!])).trim()).toBe(
        `${ORCHARD_IDENTITY.name} <${ORCHARD_IDENTITY.email}>`,
      );
    } finally {
      process.env = saved;
    }
  });
});

/** Issue 19's confirmed differences at the task commit: each failed with the in-process commit. */
describe("commitAll makes the commit git makes", () => {
  it("commits a merge the agent left in progress (MERGE_HEAD) with both parents", async () => {
    await repo.git(["checkout", "-q", "-b", "side"]);
    await repo.write("side.txt", "side\n");
    const side = await repo.commit("side");
    await repo.git(["checkout", "-q", "main"]);
    await rawGit(wt, ["merge", "--no-commit", "--no-ff", "side"]);
    const result = await commitAll(git, slot, "Task 1\n", { since: repo.head });
    expect((await rawGit(wt, ["show", "-s", "--format=%P", result.commit!])).trim()).toBe(
      `${repo.head} ${side}`,
    );
  });

  it("keeps the author of a cherry-pick the agent resolved (CHERRY_PICK_HEAD)", async () => {
    await repo.git(["checkout", "-q", "-b", "side"]);
    await repo.write("src/a.ts", "export const a = 'first';\n");
    await repo.commit("first");
    await repo.write("src/a.ts", "export const a = 'side';\n");
    await repo.git(["add", "-A"]);
    await repo.git(["commit", "-q", "--author=Grace <grace@example.com>", "-m", "side"]);
    await repo.git(["checkout", "-q", "main"]);
    // Picked onto the base, the change conflicts: the agent resolves it and leaves the commit to Orchard.
    await rawGit(wt, ["cherry-pick", "side"]).catch(() => undefined);
    expect((await rawGit(wt, ["rev-parse", "HEAD"])).trim()).toBe(repo.head);
    await writeFile(join(wt, "src/a.ts"), "export const a = 'both';\n");
    const result = await commitAll(git, slot, "Task 1\n", { since: repo.head });
    expect((await rawGit(wt, ["show", "-s", "--format=%an <%ae>", result.commit!])).trim()).toBe(
      "Grace <grace@example.com>",
    );
  });

  it("fails when the index names an object that does not exist", async () => {
    await rawGit(wt, ["update-index", "--add", "--cacheinfo", `100644,${"1234567890".repeat(4)},ghost.txt`]);
    await rawGit(wt, ["update-index", "--skip-worktree", "ghost.txt"]);
    await expect(commitAll(git, slot, "Task 1\n", { since: repo.head })).rejects.toThrow(
      /invalid object|building trees/,
    );
  });

  it("signs under commit.gpgSign", async () => {
    const key = await gpgKey();
    if (!key) return;
    await repo.git(["config", "commit.gpgSign", "true"]);
    await repo.git(["config", "user.signingKey", key.id]);
    const saved = process.env.GNUPGHOME;
    process.env.GNUPGHOME = key.home;
    try {
      await writeFile(join(wt, "s.txt"), "s\n");
      const result = await commitAll(git, slot, "Task 1\n", { since: repo.head });
      expect(await catCommit(result.commit!)).toMatch(/^gpgsig -----BEGIN PGP SIGNATURE-----/m);
    } finally {
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
    }
  });

  it("takes identity as git does: author.* and committer.* config, includeIf onbranch in the slot", async () => {
    await repo.git(["config", "author.name", "Author Config"]);
    await repo.git(["config", "committer.email", "committer@config"]);
    const included = join(repo.dir, ".git", "task-identity");
    await writeFile(included, "[author]\n\temail = task@branch\n");
    await repo.git(["config", "includeIf.onbranch:orchard/**.path", included]);
    await writeFile(join(wt, "i.txt"), "i\n");
    const result = await commitAll(git, slot, "Task 1\n", { since: repo.head });
    expect((await rawGit(wt, ["show", "-s", "--format=%an <%ae>|%ce", result.commit!])).trim()).toBe(
      "Author Config <task@branch>|committer@config",
    );
  });

  it("writes the time zone offset git writes (TZ), the encoding it declares, a reflog and the transaction hook", async () => {
    await repo.git(["config", "i18n.commitEncoding", "ISO-8859-1"]);
    await repo.git(["config", "core.logAllRefUpdates", "always"]);
    const hook = join(repo.dir, ".git", "hooks", "reference-transaction");
    const seen = join(repo.dir, ".git", "transactions");
    await writeFile(hook, `#!/bin/sh\nwhile read old new ref; do echo "$1 $ref" >> "${seen}"; done\n`);
    await chmod(hook, 0o755);
    const savedTz = process.env.TZ;
    process.env.TZ = "IST-5:30";
    try {
      await writeFile(join(wt, "t.txt"), "t\n");
      const result = await commitAll(git, slot, "Task 1\n", { since: repo.head });
      const object = await catCommit(result.commit!);
      expect(object).toMatch(/^committer .* \+0530$/m);
      expect(object).toMatch(/^encoding ISO-8859-1$/m);
      expect(await rawGit(wt, ["reflog", "-n1", "--format=%gs", "refs/heads/orchard/r/tasks/1"])).toMatch(
        /^commit/,
      );
      expect(await readFile(seen, "utf8")).toMatch(/committed refs\/heads\/orchard\/r\/tasks\/1/);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it("freshens a loose object that already exists (a concurrent gc must not prune it)", async () => {
    // The tree this commit will write, made beforehand elsewhere and left loose with an old mtime.
    const other = join(repo.dir, ".git", "orchard", "wt-other");
    await repo.git(["worktree", "add", "-q", "--detach", other, "main"]);
    await writeFile(join(other, "fresh.txt"), "fresh\n");
    await rawGit(other, ["add", "-A"]);
    const tree = (await rawGit(other, ["write-tree"])).trim();
    const loose = join(repo.dir, ".git", "objects", tree.slice(0, 2), tree.slice(2));
    const old = new Date("2001-01-01T00:00:00Z");
    await utimes(loose, old, old);
    await writeFile(join(wt, "fresh.txt"), "fresh\n");
    const result = await commitAll(git, slot, "Task 1\n", { since: repo.head });
    expect((await rawGit(wt, ["rev-parse", `${result.commit}^{tree}`])).trim()).toBe(tree);
    expect((await stat(loose)).mtimeMs).toBeGreaterThan(old.getTime() + 1000);
  });

  it("leaves the branch ref group-writable under core.sharedRepository=group", async () => {
    await repo.git(["config", "core.sharedRepository", "group"]);
    await writeFile(join(wt, "g.txt"), "g\n");
    await commitAll(git, slot, "Task 1\n", { since: repo.head });
    const mode = (await stat(join(repo.dir, ".git", "refs/heads/orchard/r/tasks/1"))).mode;
    expect(mode & 0o060).toBe(0o060);
  });

  it("runs no pre-commit or commit-msg hook by default, and runs them when asked", async () => {
    const hooks = join(repo.dir, ".git", "hooks");
    for (const name of ["pre-commit", "commit-msg"]) {
      await writeFile(join(hooks, name), `#!/bin/sh\necho ${name} >> "${join(repo.dir, ".git", "ran")}"\n`);
      await chmod(join(hooks, name), 0o755);
    }
    await writeFile(join(wt, "x.txt"), "x\n");
    expect((await commitAll(git, slot, "Task 1", { since: repo.head })).committedNow).toBe(true);
    await expect(readFile(join(repo.dir, ".git", "ran"), "utf8")).rejects.toThrow();
    await writeFile(join(wt, "y.txt"), "y\n");
    expect((await commitAll(git, slot, "Task 1", { since: repo.head, hooks: true })).committedNow).toBe(true);
    expect(await readFile(join(repo.dir, ".git", "ran"), "utf8")).toBe("pre-commit\ncommit-msg\n");
  });
});

describe("commitAll keeps to its slot (issue 20)", () => {
  it("refuses a slot whose .git link was deleted, and never commits the user's checkout", async () => {
    await repo.write("src/a.ts", "the user's unstaged work\n");
    await repo.write("untracked-by-user.txt", "mine\n");
    const before = await snapshotCheckout(repo.dir);
    await rm(join(wt, ".git"));
    await writeFile(join(wt, "task.txt"), "task\n");
    await expect(commitAll(git, slot, "Task 1\n", { since: repo.head })).rejects.toMatchObject({
      code: "NOT_A_SLOT",
    });
    expect(await snapshotCheckout(repo.dir)).toEqual(before);
  });

  it("says when the branch no longer descends from its base", async () => {
    await writeFile(join(wt, "x.txt"), "x\n");
    await rawGit(wt, ["add", "x.txt"]);
    await rawGit(wt, ["commit", "-qm", "x"]);
    const next = (await rawGit(wt, ["rev-parse", "HEAD"])).trim();
    await rawGit(wt, ["reset", "-q", "--hard", repo.head]);
    await rawGit(wt, ["checkout", "-q", "--orphan", "elsewhere"]);
    await rawGit(wt, ["commit", "-qm", "unrelated"]);
    const result = await commitAll(git, slot, "Task 1\n", { since: next });
    expect(result.descends).toBe(false);
  });
});
