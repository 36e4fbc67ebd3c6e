/**
 * Real git repositories in temp dirs for tests, and a snapshot of a checkout that lets a test prove
 * Orchard left the user's checkout exactly as it was. Spawns git itself (not through src/git) so that
 * what it observes does not depend on the code under test.
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, readlink, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach } from "vitest";
import { poolDirFor } from "../../src/git/index.js";

const TEST_ENV = {
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

/** Runs git in `cwd` and returns stdout (untrimmed); throws on a non-zero exit. */
export async function git(cwd: string, args: string[], input?: string): Promise<string> {
  const result = await execa("git", args, {
    cwd,
    env: TEST_ENV,
    stripFinalNewline: false,
    ...(input === undefined ? { stdin: "ignore" as const } : { input }),
  });
  return result.stdout;
}

export interface TestRepo {
  /** Real path of the repository's top level. */
  dir: string;
  /** The initial commit. */
  head: string;
  git(args: string[], input?: string): Promise<string>;
  write(path: string, content: string): Promise<void>;
  read(path: string): Promise<string>;
  /** Stages everything and commits; returns the new HEAD. */
  commit(message: string): Promise<string>;
  cleanup(): Promise<void>;
}

export interface MakeRepoOptions {
  /** Files of the initial commit; default a README and a small src/ tree. */
  files?: Record<string, string>;
  /** Adds this many generated files (`gen/dNN/fNNNN.txt`) to the initial commit. */
  generatedFiles?: number;
  /** Sets user.name/user.email in the repo's config (default true). */
  identity?: boolean;
}

export async function makeRepo(opts: MakeRepoOptions = {}): Promise<TestRepo> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "orchard-git-")));
  await git(dir, ["init", "-q", "-b", "main"]);
  await git(dir, ["config", "gc.auto", "0"]);
  await git(dir, ["config", "commit.gpgsign", "false"]);
  if (opts.identity !== false) {
    await git(dir, ["config", "user.name", "Test"]);
    await git(dir, ["config", "user.email", "test@example.com"]);
  }
  const write = async (path: string, content: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  const files = opts.files ?? {
    "README.md": "# test repo\n",
    "src/a.ts": "export const a = 1;\n",
    "src/b.ts": "export const b = 2;\n",
    ".gitignore": "node_modules/\n",
  };
  for (const [path, content] of Object.entries(files)) await write(path, content);
  for (let i = 0; i < (opts.generatedFiles ?? 0); i++) {
    const folder = String(Math.floor(i / 100)).padStart(2, "0");
    await write(`gen/d${folder}/f${String(i).padStart(4, "0")}.txt`, `file ${i}\n`);
  }
  const commit = async (message: string) => {
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "--allow-empty", "-m", message]);
    return (await git(dir, ["rev-parse", "HEAD"])).trim();
  };
  const head = await commit("initial");
  return {
    dir,
    head,
    git: (args, input) => git(dir, args, input),
    write,
    read: (path) => readFile(join(dir, path), "utf8"),
    commit,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Commits `files` on a new branch `name` from `from` in the repository's checkout, then checks out
 * `main` again; returns the branch's commit.
 */
export async function branchWith(
  repo: TestRepo,
  name: string,
  from: string,
  files: Record<string, string>,
): Promise<string> {
  await repo.git(["checkout", "-q", "-b", name, from]);
  for (const [path, content] of Object.entries(files)) await repo.write(path, content);
  const sha = await repo.commit(name);
  await repo.git(["checkout", "-q", "main"]);
  return sha;
}

export interface CheckoutSnapshot {
  head: string;
  symbolicHead: string;
  index: string;
  status: string;
  contentHash: string;
  stash: string;
  refs: string;
  /** `.git/info/exclude`: Orchard needs no entry there (its state lives in git's directory). */
  exclude: string;
}

/**
 * Everything about a checkout that Orchard must never change: HEAD (and which branch it names), the
 * index, the working tree (status including ignored files, and a hash of every tracked and untracked
 * file's content), the stash, every ref outside refs/heads/orchard/ and the exclude file. Orchard's
 * state lives in git's directory, so nothing of it may show in the working tree.
 */
export async function snapshotCheckout(repoDir: string): Promise<CheckoutSnapshot> {
  const readOnly = { ...TEST_ENV, GIT_OPTIONAL_LOCKS: "0" };
  const run = async (args: string[]) =>
    (await execa("git", args, { cwd: repoDir, env: readOnly, stdin: "ignore", reject: false })).stdout;

  const files = (await run(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]))
    .split("\0")
    .filter((path) => path !== "");
  const hash = createHash("sha256");
  for (const path of [...new Set(files)].sort()) {
    hash.update(`${path}\0${await fileFingerprint(join(repoDir, path))}\0`);
  }
  const refs = (await run(["for-each-ref", "--format=%(refname) %(objectname) %(symref)"]))
    .split("\n")
    .filter((line) => !line.startsWith("refs/heads/orchard/"))
    .join("\n");
  return {
    head: await run(["rev-parse", "HEAD"]),
    symbolicHead: await run(["symbolic-ref", "-q", "HEAD"]),
    index: await run(["ls-files", "-s", "-z"]),
    status: await run(["status", "--porcelain=v2", "-z", "--ignored"]),
    contentHash: hash.digest("hex"),
    stash: await run(["stash", "list", "--format=%H %gs"]),
    refs,
    exclude: await readFile(
      join(
        await run(["rev-parse", "--git-common-dir"]).then((d) => (d.startsWith("/") ? d : join(repoDir, d))),
        "info",
        "exclude",
      ),
      "utf8",
    ).catch(() => ""),
  };
}

async function fileFingerprint(path: string): Promise<string> {
  try {
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) return `link:${await readlink(path)}`;
    if (!stat.isFile()) return `other:${stat.mode}`;
    return `${stat.mode}:${createHash("sha256")
      .update(await readFile(path))
      .digest("hex")}`;
  } catch {
    return "missing";
  }
}

/**
 * A fresh repository for every test of the file that calls it (made before, removed after each test):
 * `.repo` is the current test's, `.common` its git directory.
 */
export function repoPerTest(opts: MakeRepoOptions = {}): {
  readonly repo: TestRepo;
  readonly common: string;
} {
  let current: TestRepo | undefined;
  beforeEach(async () => {
    current = await makeRepo(opts);
  });
  afterEach(async () => {
    await current?.cleanup();
  });
  const repo = () => {
    if (!current) throw new Error("repoPerTest: no test is running");
    return current;
  };
  return {
    get repo() {
      return repo();
    },
    get common() {
      return join(repo().dir, ".git");
    },
  };
}

/** The default slot pool of the repository at `dir` (a plain repository with a `.git` directory). */
export const poolDirOf = (dir: string): string => poolDirFor(realpathSync(join(dir, ".git")));
