import { isAbsolute, resolve } from "node:path";
import { GitError, isGitError } from "./errors.js";
import { Git } from "./git.js";
import { parseStatusPorcelainZ, type StatusEntry } from "./parse/status.js";
import { parseWorktreeListZ, type WorktreeEntry } from "./parse/worktree-list.js";

const READ = { readOnly: true } as const;

/**
 * The top-level directory of the work tree containing `dir`; GitError NOT_A_REPO otherwise. GIT_DIR and
 * GIT_WORK_TREE in the environment are refused rather than honoured: Orchard names the repository by
 * directory, and a variable that points git elsewhere would make its git and the agents' git disagree.
 */
export async function ensureRepo(dir: string): Promise<string> {
  const redirect = ["GIT_DIR", "GIT_WORK_TREE"].filter((name) => process.env[name] !== undefined);
  if (redirect.length > 0) {
    throw new GitError({
      code: "NOT_A_REPO",
      args: [],
      exitCode: null,
      stderr: "",
      message: `${redirect.join(" and ")} ${redirect.length > 1 ? "are" : "is"} set: Orchard finds the repository from its directory (--repo, or the current one). Unset ${redirect.join(" and ")} and run it again.`,
    });
  }
  try {
    return (await repoLayout(new Git(dir))).toplevel;
  } catch (error) {
    // A missing directory, a bare repository and "not a git repository" all mean the same to the user.
    if (!isGitError(error) || error.code === "TIMEOUT") throw error;
    throw new GitError({
      code: "NOT_A_REPO",
      args: ["rev-parse", "--show-toplevel"],
      exitCode: error.exitCode,
      stderr: error.stderr,
      message: `${dir} is not inside a git work tree: run Orchard from a git repository (git init, or cd into one).`,
    });
  }
}

/** The shared .git directory (absolute), the same for the main checkout and every worktree. */
export async function commonGitDir(git: Git, cwd?: string): Promise<string> {
  if (cwd === undefined || cwd === git.repoDir) return (await repoLayout(git)).commonDir;
  const { stdout } = await git.run(["rev-parse", "--git-common-dir"], { ...READ, cwd });
  const dir = stdout.trim();
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

export interface RepoLayout {
  /** Top level of the work tree `git.repoDir` lies in. */
  toplevel: string;
  /** The shared .git directory, absolute. */
  commonDir: string;
}

/** By directory asked about and by top level: where a work tree's repository lives does not change. */
const layouts = new Map<string, Promise<RepoLayout>>();

/**
 * Where the repository of `git.repoDir` lives, asked once per directory in one process: a run start used
 * to ask for the same two paths five times over (docs/benchmarks.md).
 */
export function repoLayout(git: Git): Promise<RepoLayout> {
  const key = git.repoDir;
  let layout = layouts.get(key);
  if (!layout) {
    layout = git.run(["rev-parse", "--show-toplevel", "--git-common-dir"], READ).then(({ stdout }) => {
      const [toplevel = "", common = ""] = stdout.trim().split("\n");
      if (toplevel === "" || common === "") {
        throw new GitError({ code: "NOT_A_REPO", args: [], exitCode: 0, stderr: "bare repository" });
      }
      return { toplevel, commonDir: isAbsolute(common) ? common : resolve(key, common) };
    });
    layouts.set(key, layout);
    const settled = layout;
    settled.then(
      (found) => {
        if (!layouts.has(found.toplevel)) layouts.set(found.toplevel, settled);
      },
      () => layouts.delete(key),
    );
  }
  return layout;
}

/** The per-worktree git directory (absolute): where index, HEAD and index.lock of `cwd` live. */
export async function worktreeGitDir(git: Git, cwd: string): Promise<string> {
  const { stdout } = await git.run(["rev-parse", "--git-dir"], { ...READ, cwd });
  const dir = stdout.trim();
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

/** `status --porcelain=v1 -z` of `cwd`, untracked files listed one by one. */
export async function statusPorcelain(git: Git, cwd: string): Promise<StatusEntry[]> {
  const { stdout } = await git.run(["status", "--porcelain=v1", "-z", "--untracked-files=all"], {
    ...READ,
    cwd,
  });
  return parseStatusPorcelainZ(stdout);
}

export async function worktreeList(git: Git): Promise<WorktreeEntry[]> {
  const { stdout } = await git.run(["worktree", "list", "--porcelain", "-z"], READ);
  return parseWorktreeListZ(stdout);
}

/** Number of commits reachable from `to` and not from `from` (`from..to`). */
export async function countCommits(git: Git, from: string, to: string): Promise<number> {
  const { stdout } = await git.run(["rev-list", "--count", `${from}..${to}`], READ);
  return Number(stdout.trim());
}

/** One-line subjects of `from..to`, oldest first. */
export async function logSubjects(
  git: Git,
  from: string,
  to: string,
): Promise<Array<{ sha: string; subject: string }>> {
  const { stdout } = await git.run(["log", "--reverse", "--format=%H%x00%s", `${from}..${to}`], READ);
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [sha = "", subject = ""] = line.split("\0");
      return { sha, subject };
    });
}

/** `git fsck` of the object store; ok is false with git's report when anything is broken. */
export async function fsck(git: Git): Promise<{ ok: boolean; report: string }> {
  const { stdout, stderr, exitCode } = await git.run(["fsck", "--no-progress", "--no-dangling"], {
    ...READ,
    okExitCodes: [1, 2, 3, 4, 5, 6, 7],
  });
  return { ok: exitCode === 0, report: `${stdout}${stderr}`.trim() };
}
