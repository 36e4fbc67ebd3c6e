import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { GitError } from "./errors.js";

/**
 * Orchard's own refs (`refs/heads/orchard/…`) and its slots' HEADs written the way git writes them in a
 * files-backend repository: take `<file>.lock` exclusively, check the old value under the lock, write,
 * rename over the file (gitrepository-layout(5), the lock protocol every git command honours). A slot
 * hand-off and a landing each saved one to two git processes this way, several milliseconds apiece on
 * a loaded machine (docs/benchmarks.md). No reflog entry is written for these refs. Repositories on the
 * reftable backend keep refs elsewhere: there every function here declines and callers ask git.
 * Every step is synchronous: tiny files, and a thread-pool round trip per step cost more than it saved.
 * Measured side by side in one session on 4 × 4 × 1000 ms (docs/benchmarks.md): an asynchronous rename
 * put the first agent ~3 ms later and the last landing ~5 ms later; asynchronous creation of the lock
 * and of the attempt's files was slower still, though creating a file takes 0.2–0.6 ms on this ext4.
 */

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** A full object name (SHA-1 or SHA-256), as ref files and detached HEADs hold them. */
export function isFullSha(text: string): boolean {
  return SHA.test(text);
}

const OURS = /^refs\/heads\/orchard\/[^\0\s~^:?*[\\]+$/;

/** True when refs of the repository whose shared git dir is `commonDir` are plain files. */
export function refFilesWritable(commonDir: string): boolean {
  return !existsSync(join(commonDir, "reftable"));
}

/**
 * Points `ref` (one of Orchard's, under refs/heads/orchard/) at `sha`. With `expectedOld` it is a
 * compare-and-swap like `git update-ref ref new old`: a string means "only if it points there", null
 * "only if it does not exist". Returns false, having done nothing, when git must do it instead.
 * Throws GitError LOCKED when another writer holds the ref and REF_CHANGED when the swap is lost.
 */
export async function writeOwnRef(
  commonDir: string,
  ref: string,
  sha: string,
  expectedOld?: string | null,
): Promise<boolean> {
  if (
    !OURS.test(ref) ||
    ref.split("/").some((part) => part === ".." || part === "." || part.endsWith(".lock"))
  )
    return false;
  if (!SHA.test(sha) || !refFilesWritable(commonDir)) return false;
  const path = join(commonDir, ref);
  return underLock(path, `${sha}\n`, ref, () => {
    if (expectedOld === undefined) return true;
    const current = refValue(commonDir, ref);
    if (current === undefined) return false;
    if (current !== expectedOld) {
      throw new GitError({
        code: "REF_CHANGED",
        args: ["update-ref", ref, sha, expectedOld ?? "0".repeat(40)],
        exitCode: null,
        stderr: `cannot lock ref '${ref}': is at ${current ?? "nothing"} but expected ${expectedOld ?? "nothing"}`,
      });
    }
    return true;
  });
}

/** Makes the worktree whose git dir is `gitDir` have `ref` checked out (HEAD → ref), as `git symbolic-ref HEAD ref`. */
export async function writeSymbolicHead(gitDir: string, commonDir: string, ref: string): Promise<boolean> {
  if (!OURS.test(ref) || !refFilesWritable(commonDir)) return false;
  return underLock(join(gitDir, "HEAD"), `ref: ${ref}\n`, "HEAD", () => true);
}

/** Detaches the HEAD of the worktree whose git dir is `gitDir` at `sha`, as `git update-ref --no-deref HEAD sha`. */
export async function writeDetachedHead(gitDir: string, commonDir: string, sha: string): Promise<boolean> {
  if (!SHA.test(sha) || !refFilesWritable(commonDir)) return false;
  return underLock(join(gitDir, "HEAD"), `${sha}\n`, "HEAD", () => true);
}

/**
 * Takes `<path>.lock`, runs `check` (false: give up quietly, nothing written), then writes `content` and
 * renames the lock into place. The lock is always gone when this returns.
 */
async function underLock(path: string, content: string, name: string, check: () => boolean) {
  const lock = `${path}.lock`;
  let fd: number;
  try {
    fd = openCreating(lock);
  } catch (error) {
    const locked = (error as NodeJS.ErrnoException).code === "EEXIST";
    throw new GitError({
      code: locked ? "LOCKED" : "UNKNOWN",
      args: [],
      exitCode: null,
      // Otherwise, as a rule, a file where a directory of the ref's name should be: git refuses such a
      // ref the same way.
      stderr: locked
        ? `Unable to create '${lock}': ${(error as Error).message}`
        : `cannot create ${name}: ${(error as Error).message}`,
    });
  }
  let renamed = false;
  try {
    let checked: boolean;
    try {
      checked = check();
      if (checked) writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    if (!checked) return false;
    renameSync(lock, path);
    renamed = true;
    return true;
  } finally {
    if (!renamed) rmSync(lock, { force: true });
  }
}

/**
 * Opens a new file for writing, failing if it exists (`wx`). Its directory is made only when the open
 * says it is missing: most are there already, and a `mkdir -p` of an existing directory cost two
 * system calls (~70 µs here, docs/benchmarks.md) on every ref and object written.
 */
export function openCreating(path: string, mode?: number): number {
  try {
    return openSync(path, "wx", mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, "wx", mode);
}

/**
 * What `ref` points at now: its loose file, else its line in packed-refs, else null (absent). Undefined
 * when the files do not say plainly (a symbolic ref, an unreadable file): the caller lets git decide.
 */
export function refValue(commonDir: string, ref: string): string | null | undefined {
  const loose = readOrNull(join(commonDir, ref));
  if (loose === undefined) return undefined;
  if (loose !== null) return SHA.test(loose) ? loose : undefined;
  const packed = readOrNull(join(commonDir, "packed-refs")) ?? "";
  for (const line of packed.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0 && line.slice(space + 1) === ref && SHA.test(line.slice(0, space)))
      return line.slice(0, space);
  }
  return null;
}

/**
 * The commit the HEAD in `gitDir` points at, from its files: a detached HEAD's object name, or its
 * branch's (loose or packed). Null whenever the files do not say plainly (reftable refs, a symbolic
 * chain, an unborn branch): the caller asks git then.
 */
export function headFromGitDir(gitDir: string, commonDir: string): string | null {
  const head = readOrNull(join(gitDir, "HEAD")) ?? "";
  if (isFullSha(head)) return head;
  const ref = branchOfHead(head);
  return ref === null ? null : (refValue(commonDir, ref) ?? null);
}

/** The branch (`refs/heads/…`) the HEAD in `gitDir` has checked out; null when detached or unsure. */
export function headBranch(gitDir: string): string | null {
  return branchOfHead(readOrNull(join(gitDir, "HEAD")) ?? "");
}

/** The branch a HEAD file's text names (`ref: refs/heads/…`), or null. */
function branchOfHead(head: string): string | null {
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  return ref && !ref.split("/").includes("..") ? ref : null;
}

/**
 * Where a `.git` file links its worktree to (`gitdir: <path>`, relative to the file's directory).
 * Null when there is no such file or it says something else; undefined when it cannot be read as a
 * file (a directory: the main checkout's `.git`).
 */
export function linkedGitDir(dotGit: string): string | null | undefined {
  const text = readOrNull(dotGit);
  if (typeof text !== "string") return text;
  const link = /^gitdir: (.+)$/.exec(text)?.[1]?.trim();
  return link ? resolve(dirname(dotGit), link) : null;
}

/** The trimmed text of a file; null when it does not exist, undefined when it cannot be read. */
export function readOrNull(path: string): string | null | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? null : undefined;
  }
}
