import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { GitError, isGitError } from "./errors.js";
import type { Git } from "./git.js";
import { parseRefList, type RefEntry } from "./parse/refs.js";
import { headFromGitDir, linkedGitDir, refFilesWritable, refValue, writeOwnRef } from "./ref-files.js";
import { repoLayout } from "./repo.js";

const ZERO_SHA = "0000000000000000000000000000000000000000";
const READ = { readOnly: true } as const;

/** The object name `ref` resolves to; GitError BAD_REVISION when it does not exist. */
export async function revParse(git: Git, ref: string, cwd?: string): Promise<string> {
  const found = await tryRevParse(git, ref, cwd);
  if (found === null) {
    throw new GitError({
      code: "BAD_REVISION",
      args: ["rev-parse", ref],
      exitCode: 1,
      stderr: `unknown revision '${ref}'`,
    });
  }
  return found;
}

/** Like revParse, but null for a ref that does not exist. */
export async function tryRevParse(git: Git, ref: string, cwd?: string): Promise<string | null> {
  // `--end-of-options` keeps a ref that starts with "-" from being read as an option.
  const { stdout, exitCode } = await git.run(["rev-parse", "-q", "--verify", "--end-of-options", ref], {
    ...READ,
    ...(cwd === undefined ? {} : { cwd }),
    okExitCodes: [1],
  });
  return exitCode === 0 ? stdout.trim() : null;
}

/** The commit `ref` names (peeling tags); BAD_REVISION when it is absent or not a commit. */
export function resolveCommit(git: Git, ref: string, cwd?: string): Promise<string> {
  return revParse(git, `${ref}^{commit}`, cwd);
}

/**
 * The commit a run starts from. HEAD, the usual base, is read from the repository's files when they say
 * plainly: a run start waited ~3 ms for a `rev-parse` (docs/benchmarks.md). Anything else, and any
 * doubt (GIT_DIR set, reftable, an unborn branch), goes to git.
 */
export async function resolveBase(git: Git, name: string): Promise<string> {
  if (name === "HEAD" && process.env.GIT_DIR === undefined) {
    const { toplevel, commonDir } = await repoLayout(git);
    const dotGit = join(toplevel, ".git");
    // The main checkout's `.git` is a directory (it does not read as a file); a file links a worktree.
    const linked = linkedGitDir(dotGit);
    const gitDir = linked === undefined ? dotGit : linked;
    const sha = gitDir === null ? null : headFromGitDir(gitDir, commonDir);
    if (sha !== null) return sha;
  }
  return resolveCommit(git, name);
}

export async function headCommit(git: Git, cwd?: string): Promise<string> {
  return revParse(git, "HEAD", cwd);
}

/** True when `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(git: Git, ancestor: string, descendant: string): Promise<boolean> {
  const { exitCode } = await git.run(["merge-base", "--is-ancestor", ancestor, descendant], {
    ...READ,
    okExitCodes: [1],
  });
  return exitCode === 0;
}

/**
 * Moves `ref` to `newSha` atomically. With `expectedOld` it is a compare-and-swap: a string means "only if
 * it still points there", null means "only if it does not exist yet". A lost race throws REF_CHANGED.
 */
export async function updateRef(
  git: Git,
  ref: string,
  newSha: string,
  expectedOld?: string | null,
  message?: string,
): Promise<void> {
  // Orchard's own refs are written in-process where the repository keeps refs as files.
  if (await writeOwnRefRetrying(git, ref, newSha, expectedOld)) return;
  const args = ["update-ref", ...(message ? ["-m", message] : []), ref, newSha];
  if (expectedOld !== undefined) args.push(expectedOld ?? ZERO_SHA);
  await runRefUpdate(git, args);
}

/**
 * Points `ref` at `sha` unless it points there already, whatever it held before; read in-process where
 * refs are plain files, so that the usual case (it does) starts no git process.
 */
export async function setRef(git: Git, ref: string, sha: string): Promise<void> {
  const { commonDir } = await repoLayout(git);
  const known = refFilesWritable(commonDir) ? refValue(commonDir, ref) : undefined;
  const now = known === undefined ? await tryRevParse(git, ref) : known;
  if (now !== sha) await updateRef(git, ref, sha, now);
}

/** `writeOwnRef`, retrying a held lock as git commands are retried. */
async function writeOwnRefRetrying(
  git: Git,
  ref: string,
  newSha: string,
  expectedOld: string | null | undefined,
): Promise<boolean> {
  const { commonDir } = await repoLayout(git);
  return git.retryLocked(() => writeOwnRef(commonDir, ref, newSha, expectedOld));
}

/** Deletes `ref`, only if it still points at `expectedOld` when given. Deleting an absent ref is a no-op. */
export async function deleteRef(git: Git, ref: string, expectedOld?: string): Promise<void> {
  const args = ["update-ref", "-d", ref, ...(expectedOld === undefined ? [] : [expectedOld])];
  await runRefUpdate(git, args);
}

/** Deletes many refs in one transaction (all or nothing). */
export async function deleteRefs(git: Git, refs: readonly string[]): Promise<void> {
  if (refs.length === 0) return;
  await git.run(["update-ref", "--stdin", "-z"], { input: refs.map((ref) => `delete ${ref}\0\0`).join("") });
}

async function runRefUpdate(git: Git, args: string[]): Promise<void> {
  try {
    await git.run(args);
  } catch (error) {
    // A CAS against a missing ref reports "unable to resolve"; a plain delete of a missing ref is fine.
    if (isGitError(error, "REF_CHANGED") && args[1] === "-d" && args.length === 3) return;
    throw error;
  }
}

/** Every ref under `prefix` (e.g. `refs/heads/orchard/`) with the object it points at. */
export async function listRefs(git: Git, prefix: string): Promise<RefEntry[]> {
  const { stdout } = await git.run(["for-each-ref", "--format=%(refname)%00%(objectname)", prefix], READ);
  return parseRefList(stdout);
}

/**
 * Removes the lock files a killed git (or Orchard) left on the refs under `prefix` (a directory of refs,
 * e.g. `refs/heads/orchard/<run>`). Only for refs nothing else is writing: a run clears its own before
 * it writes them; other runs' refs, which another process may be writing now, are left alone.
 */
export async function removeStaleRefLocks(git: Git, prefix: string): Promise<void> {
  if (!prefix.startsWith("refs/") || prefix.split("/").some((part) => part === ".." || part === "")) {
    throw new Error(`not a ref directory: ${prefix}`);
  }
  const root = join((await repoLayout(git)).commonDir, prefix);
  // A new run's directory does not exist yet: one failed lookup, no thread-pool round trip.
  if (!existsSync(root)) return;
  const names = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  await Promise.all(
    names.filter((name) => name.endsWith(".lock")).map((name) => rm(join(root, name), { force: true })),
  );
}
