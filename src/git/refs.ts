import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { GitError, isGitError } from "./errors.js";
import type { Git } from "./git.js";
import { parseRefList, type RefEntry } from "./parse/refs.js";
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

/** The commit a run starts from: `name` (usually HEAD) as a commit. */
export function resolveBase(git: Git, name: string): Promise<string> {
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

/** One change in a ref transaction: `old` as in `git update-ref` (null: must not exist yet). */
export interface RefChange {
  ref: string;
  /** null deletes the ref. */
  new: string | null;
  /** A compare-and-swap: the ref must point here (null: not exist); undefined: whatever it holds. */
  old?: string | null;
}

/**
 * Applies `changes` in one `git update-ref --stdin` transaction, all or nothing: git takes the locks,
 * writes the reflogs, runs the reference-transaction hooks, syncs and sets shared permissions as the
 * repository says (invariant 0). A lost compare-and-swap throws GitError REF_CHANGED.
 */
export async function refTransaction(
  git: Git,
  changes: readonly RefChange[],
  message?: string,
): Promise<void> {
  if (changes.length === 0) return;
  const lines = ["start"];
  for (const change of changes) {
    const old = change.old === undefined ? "" : (change.old ?? ZERO_SHA);
    if (change.new === null) lines.push(`delete ${change.ref}\0${old}`);
    else lines.push(`update ${change.ref}\0${change.new}\0${old}`);
  }
  lines.push("prepare", "commit");
  const args = ["update-ref", ...(message ? ["-m", message] : []), "--stdin", "-z"];
  await git.run(args, { input: `${lines.join("\0")}\0` });
}

/**
 * Moves `ref` to `newSha` atomically. With `expectedOld` it is a compare-and-swap: a string means "only if
 * it still points there", null means "only if it does not exist yet". A lost race throws REF_CHANGED.
 */
export function updateRef(
  git: Git,
  ref: string,
  newSha: string,
  expectedOld?: string | null,
  message?: string,
): Promise<void> {
  return refTransaction(
    git,
    [{ ref, new: newSha, ...(expectedOld === undefined ? {} : { old: expectedOld }) }],
    message,
  );
}

/** Points `ref` at `sha`, whatever it held before. */
export function setRef(git: Git, ref: string, sha: string, message?: string): Promise<void> {
  return updateRef(git, ref, sha, undefined, message);
}

/** Deletes `ref`, only if it still points at `expectedOld` when given. Deleting an absent ref is a no-op. */
export async function deleteRef(git: Git, ref: string, expectedOld?: string): Promise<void> {
  const args = ["update-ref", "-d", ref, ...(expectedOld === undefined ? [] : [expectedOld])];
  await runRefUpdate(git, args);
}

/** Deletes many refs in one transaction (all or nothing). */
export function deleteRefs(git: Git, refs: readonly string[]): Promise<void> {
  return refTransaction(
    git,
    refs.map((ref) => ({ ref, new: null })),
  );
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
