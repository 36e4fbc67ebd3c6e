import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../../src/git/git.js";
import { repoIdentity } from "../../../src/git/identity.js";
import { commitTree } from "../../../src/git/merge.js";
import { looseCommitTree, writeCommitObject } from "../../../src/git/objects.js";
import { makeRepo, git as rawGit, repoPerTest } from "../../helpers/git-repo.js";

/**
 * Commit objects Orchard writes itself must be the very objects `git commit-tree` writes (same name for
 * the same content), and it must leave the writing to git wherever a commit would need more than it does.
 */
const fixture = repoPerTest();

const tree = async (rev: string) => (await fixture.repo.git(["rev-parse", `${rev}^{tree}`])).trim();
const ident = { name: "Test", email: "test@example.com" };

describe("commit objects written in-process", () => {
  it("are the objects git commit-tree writes for the same content", async () => {
    await fixture.repo.write("b.txt", "b\n");
    const second = await fixture.repo.commit("second");
    const message = "Merge task 1.1: make b\n\nwith a body\n";
    const ours = writeCommitObject(fixture.common, {
      tree: await tree(second),
      parents: [fixture.repo.head, second],
      author: ident,
      committer: ident,
      message,
    });
    // git writes the same commit when given the date we wrote: same name, same bytes.
    const raw = await fixture.repo.git(["cat-file", "commit", ours]);
    const date = /^committer .* (\d+ [+-]\d{4})$/m.exec(raw)?.[1];
    expect(date).toBeDefined();
    const { execa } = await import("execa");
    const theirs = await execa(
      "git",
      ["commit-tree", await tree(second), "-p", fixture.repo.head, "-p", second, "-F", "-"],
      {
        cwd: fixture.repo.dir,
        input: message,
        env: {
          GIT_AUTHOR_NAME: ident.name,
          GIT_AUTHOR_EMAIL: ident.email,
          GIT_COMMITTER_NAME: ident.name,
          GIT_COMMITTER_EMAIL: ident.email,
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_DATE: date,
        },
      },
    );
    expect(ours).toBe(theirs.stdout.trim());
    // The date is now, in the local zone, as git would have stamped it.
    const seconds = Number(date!.split(" ")[0]);
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(60);
    const local = await rawGit(fixture.repo.dir, [
      "log",
      "-1",
      "--format=%ad",
      "--date=format-local:%z",
      ours,
    ]);
    expect(date!.split(" ")[1]).toBe(local.trim());
    expect((await fixture.repo.git(["fsck", "--no-progress", "--no-dangling", "--strict"])).trim()).toBe("");
  });

  it("read a fresh commit's tree from its loose object, and nothing from a packed one", async () => {
    await fixture.repo.write("c.txt", "c\n");
    const fresh = await fixture.repo.commit("fresh");
    expect(looseCommitTree(fixture.common, fresh)).toBe(await tree(fresh));
    await fixture.repo.git(["repack", "-adq"]);
    await fixture.repo.git(["prune-packed"]);
    expect(looseCommitTree(fixture.common, fresh)).toBeNull();
    expect(looseCommitTree(fixture.common, "0".repeat(40))).toBeNull();
    expect(looseCommitTree(fixture.common, "HEAD")).toBeNull();
  });
});

describe("who writes Orchard's commit objects", () => {
  const writerOf = async (setup: (dir: string) => Promise<unknown>) => {
    const r = await makeRepo();
    try {
      await setup(r.dir);
      return (await repoIdentity(new Git(r.dir))).writer;
    } finally {
      await r.cleanup();
    }
  };

  it("is Orchard, with the repository's identity, for a plain repository", async () => {
    expect(await writerOf(async () => {})).toEqual({ author: ident, committer: ident });
  });

  it("is git when the commit would be signed, re-encoded, shared or fsynced, or is not SHA-1", async () => {
    expect(await writerOf((dir) => rawGit(dir, ["config", "commit.gpgSign", "true"]))).toBeNull();
    // `[commit] gpgSign` without a value is true too.
    expect(
      await writerOf(async (dir) => {
        await rawGit(dir, ["config", "commit.gpgSign", "false"]);
        const config = join(dir, ".git", "config");
        const { readFile } = await import("node:fs/promises");
        await writeFile(config, (await readFile(config, "utf8")).replace(/gpgsign = false/i, "gpgsign"));
      }),
    ).toBeNull();
    expect(await writerOf((dir) => rawGit(dir, ["config", "i18n.commitEncoding", "ISO-8859-1"]))).toBeNull();
    expect(await writerOf((dir) => rawGit(dir, ["config", "core.sharedRepository", "group"]))).toBeNull();
    expect(await writerOf((dir) => rawGit(dir, ["config", "core.fsync", "loose-object"]))).toBeNull();
    expect(await writerOf((dir) => rawGit(dir, ["config", "core.fsyncObjectFiles", "true"]))).toBeNull();
    const sha256 = await mkdtemp(join(tmpdir(), "orchard-sha256-"));
    try {
      await rawGit(sha256, ["init", "-q", "--object-format=sha256"]);
      await rawGit(sha256, ["commit", "-q", "--allow-empty", "-m", "first"]);
      expect((await repoIdentity(new Git(sha256))).writer).toBeNull();
    } finally {
      await rm(sha256, { recursive: true, force: true });
    }
  });

  it("names the author and committer git would name", async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ["plain", {}],
      [
        "a name with inner punctuation",
        { "user.name": "Ada K. O'Neil, Jr", "user.email": "a.k@example.com" },
      ],
      ["author.* over user.*", { "author.name": "Writer", "author.email": "w@example.com" }],
      ["committer.* over user.*", { "committer.name": "Keeper" }],
    ];
    for (const [label, config] of cases) {
      const r = await makeRepo();
      try {
        for (const [key, value] of Object.entries(config)) await rawGit(r.dir, ["config", key, value]);
        const git = new Git(r.dir);
        const { writer, env } = await repoIdentity(git);
        expect(writer, label).not.toBeNull();
        const ours = writeCommitObject(join(r.dir, ".git"), {
          tree: (await r.git(["rev-parse", "HEAD^{tree}"])).trim(),
          parents: [],
          message: "m\n",
          ...writer!,
        });
        const { execa } = await import("execa");
        const clean = Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !/^GIT_(AUTHOR|COMMITTER)_/.test(k)),
        );
        const theirs = await execa("git", ["commit-tree", "HEAD^{tree}", "-m", "m"], {
          cwd: r.dir,
          env: { ...clean, ...env },
          extendEnv: false,
        });
        const people = async (c: string) =>
          (await r.git(["log", "-1", "--format=%an|%ae|%cn|%ce", c])).trim();
        expect(await people(ours), label).toBe(await people(theirs.stdout.trim()));
      } finally {
        await r.cleanup();
      }
    }
  });

  it("is git for an identity git would have to clean up", async () => {
    for (const [key, value] of [
      ["user.name", " \"Ada, <Lovelace>;' "],
      ["user.name", "Ada Lovelace."],
      ["user.email", " <ada@example.com>. "],
      ["author.email", "<a@example.com>"],
    ] as const) {
      expect(await writerOf((dir) => rawGit(dir, ["config", key, value])), `${key}=${value}`).toBeNull();
    }
  });

  it("lands a merge through commitTree that git reads back with both parents", async () => {
    await fixture.repo.write("d.txt", "d\n");
    const task = await fixture.repo.commit("task");
    const git = new Git(fixture.repo.dir);
    const merge = await commitTree(git, `${task}^{tree}`, [fixture.repo.head, task], "Merge task\n");
    expect((await fixture.repo.git(["rev-list", "--parents", "-n1", merge])).trim()).toBe(
      `${merge} ${fixture.repo.head} ${task}`,
    );
    expect(await tree(merge)).toBe(await tree(task));
    expect((await fixture.repo.git(["log", "-1", "--format=%an <%ae>%n%B", merge])).trim()).toBe(
      "Test <test@example.com>\nMerge task",
    );
  });
});
