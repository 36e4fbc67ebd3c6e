import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureRepo, Git, GitError, isGitError } from "../../../src/git/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";

/** git runs `git-<name>` from PATH as a subcommand, with the environment git itself got. */
async function fakeSubcommand(dir: string, name: string, body: string): Promise<void> {
  const path = join(dir, `git-${name}`);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
}

/** A zombie counts as dead: in some containers pid 1 never reaps orphans. */
async function isAlive(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  if (status !== null) return !/^State:\s+Z/m.test(status);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let repo: TestRepo;
let bin: string;
let pathEnv: { PATH: string };

beforeAll(async () => {
  repo = await makeRepo();
  bin = await mkdtemp(join(tmpdir(), "orchard-bin-"));
  pathEnv = { PATH: `${bin}:${process.env.PATH}` };
  await fakeSubcommand(bin, "orchard-env", "env");
  await fakeSubcommand(bin, "orchard-count", `echo x >> "$1"; echo "$2" >&2; exit 128`);
  await fakeSubcommand(bin, "orchard-sleep", `sleep 30 & echo $! > "$1"; wait`);
});

afterAll(async () => {
  await repo.cleanup();
  await rm(bin, { recursive: true, force: true });
});

describe("Git.run", () => {
  it("pins the environment and drops variables that would redirect git to another repository", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_PAGER: "less", LC_ALL: "de_DE.UTF-8", GIT_DIR: "/elsewhere" });
    try {
      const { stdout } = await new Git(repo.dir).run(["orchard-env"], { env: pathEnv, readOnly: true });
      const env = Object.fromEntries(stdout.split("\n").map((line) => line.split(/=(.*)/s).slice(0, 2)));
      expect(env).toMatchObject({
        GIT_TERMINAL_PROMPT: "0",
        LC_ALL: "C",
        LANGUAGE: "C",
        GIT_PAGER: "cat",
        GIT_EDITOR: "true",
        GIT_OPTIONAL_LOCKS: "0",
      });
      expect(env.GIT_DIR).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  it("is what git itself sees: git var reports the pinned pager and editor", async () => {
    const git = new Git(repo.dir);
    expect((await git.run(["var", "GIT_PAGER"])).stdout.trim()).toBe("cat");
    expect((await git.run(["var", "GIT_EDITOR"])).stdout.trim()).toBe("true");
  });

  it("closes stdin unless input is given", async () => {
    const git = new Git(repo.dir);
    const empty = await git.run(["hash-object", "--stdin"]);
    expect(empty.stdout.trim()).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    const hello = await git.run(["hash-object", "--stdin"], { input: "hello\n" });
    expect(hello.stdout.trim()).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });

  it("throws a GitError with code, args, exit code and stderr", async () => {
    const error = await new Git(repo.dir).run(["rev-parse", "--verify", "no-such-ref"]).catch((e) => e);
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({
      code: "BAD_REVISION",
      args: ["rev-parse", "--verify", "no-such-ref"],
      exitCode: 128,
    });
    expect(error.stderr).toMatch(/Needed a single revision/);
  });

  it("accepts listed exit codes as answers", async () => {
    const result = await new Git(repo.dir).run(["diff", "--quiet", "HEAD"], { okExitCodes: [1] });
    expect(result.exitCode).toBe(0);
  });

  it("retries a command that hit index.lock until the lock goes away", async () => {
    const lock = join(repo.dir, ".git", "index.lock");
    await repo.write("retry.txt", "x\n");
    await writeFile(lock, "");
    const removal = sleep(50).then(() => rm(lock));
    await new Git(repo.dir).run(["add", "retry.txt"]);
    await removal;
    expect(await repo.git(["ls-files", "retry.txt"])).toBe("retry.txt\n");
  });

  it("gives up on a lock that stays, with code LOCKED, after the configured retries", async () => {
    const lock = join(repo.dir, ".git", "index.lock");
    await writeFile(lock, "");
    try {
      const error = await new Git(repo.dir, { lockRetryDelaysMs: [1, 1] }).run(["add", "-A"]).catch((e) => e);
      expect(isGitError(error, "LOCKED")).toBe(true);
    } finally {
      await rm(lock);
    }
  });

  it("retries LOCKED and only LOCKED", async () => {
    const git = new Git(repo.dir, { lockRetryDelaysMs: [1, 1, 1] });
    const locked = join(bin, "locked.count");
    const other = join(bin, "other.count");
    const lockMessage = "fatal: Unable to create '/x/.git/index.lock': File exists.";
    await expect(git.run(["orchard-count", locked, lockMessage], { env: pathEnv })).rejects.toMatchObject({
      code: "LOCKED",
    });
    await expect(
      git.run(["orchard-count", other, "fatal: bad object"], { env: pathEnv }),
    ).rejects.toMatchObject({
      code: "BAD_REVISION",
    });
    expect((await readFile(locked, "utf8")).split("\n").filter(Boolean)).toHaveLength(4);
    expect((await readFile(other, "utf8")).split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("kills the whole process group on timeout and reports TIMEOUT", async () => {
    const pidFile = join(bin, "sleep.pid");
    const error = await new Git(repo.dir)
      .run(["orchard-sleep", pidFile], { env: pathEnv, timeoutMs: 300 })
      .catch((e) => e);
    expect(isGitError(error, "TIMEOUT")).toBe(true);
    const grandchild = Number((await readFile(pidFile, "utf8")).trim());
    await sleep(100);
    expect(await isAlive(grandchild)).toBe(false);
  });
});

describe("ensureRepo", () => {
  it("returns the top level from a subdirectory", async () => {
    expect(await ensureRepo(join(repo.dir, "src"))).toBe(repo.dir);
  });

  it("throws NOT_A_REPO with a message that says what to do", async () => {
    const outside = await mkdtemp(join(tmpdir(), "orchard-norepo-"));
    try {
      const error = await ensureRepo(outside).catch((e) => e);
      expect(isGitError(error, "NOT_A_REPO")).toBe(true);
      expect(error.message).toMatch(/not inside a git work tree/);
      const missing = await ensureRepo(join(outside, "missing")).catch((e) => e);
      expect(isGitError(missing, "NOT_A_REPO")).toBe(true);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
