import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { parseIndex } from "./index-tree.js";
import { writeDetachedHead } from "./ref-files.js";

/**
 * A slot's reset without git, for the common case: the task only added files. A slot's index right
 * after git checked it out clean at a commit is kept (`IndexSnapshot`); when the slot comes back from
 * a task whose commit staged the whole work tree (`git add -A`, nothing written since), and its index
 * then holds every entry of that snapshot unchanged plus new paths, what `git checkout -f --detach
 * <commit>` would do is: remove the new files (and the directories they leave empty), write the index
 * as it was, detach HEAD. Done here, that is a git process fewer on every such task (measured in
 * docs/benchmarks.md). Anything else — a modified, deleted or re-moded file, a new gitlink, entries git
 * does not read from the work tree, an index extension beyond the cache tree and its offsets, any state
 * in the slot's git dir besides its HEAD, index and logs — declines, and git resets the slot.
 */

/** Extensions git's checkout writes that stay true when the same bytes are written back. */
const KEPT_EXTENSIONS = new Set(["TREE", "EOIE", "IEOT"]);

/** What a worktree's git dir holds between tasks; anything else (a rebase, a merge, a lock) is git's to clear. */
const QUIET_GIT_DIR = new Set([
  "HEAD",
  "ORIG_HEAD",
  "FETCH_HEAD",
  "COMMIT_EDITMSG",
  "commondir",
  "gitdir",
  "index",
  "logs",
  "locked",
]);

/**
 * A slot's index as git wrote it after checking the slot out, clean, at `commit` (or as a reset here
 * wrote it back). Read whole when the slot is handed off clean; parsed at the first reset that needs it.
 */
export class IndexSnapshot {
  private parsed: Map<string, string> | null | undefined;

  constructor(
    readonly commit: string,
    readonly bytes: Buffer,
  ) {}

  /**
   * Path → `<mode> <object>` of each entry; null when the index cannot serve: an extension beyond the
   * cache tree and its offsets (an untracked cache, an fsmonitor token), an entry git does not read
   * from the work tree, anything the reader leaves to git.
   */
  entries(): Map<string, string> | null {
    if (this.parsed === undefined) this.parsed = parseEntries(this.bytes);
    return this.parsed;
  }
}

function parseEntries(bytes: Buffer): Map<string, string> | null {
  const parsed = parseIndex(bytes);
  if (!parsed || parsed.extensions.some((signature) => !KEPT_EXTENSIONS.has(signature))) return null;
  const entries = new Map<string, string>();
  for (const entry of parsed.entries) {
    if (entry.unread) return null;
    entries.set(entry.path, `${entry.mode} ${entry.oid.toString("hex")}`);
  }
  return entries;
}

/**
 * Brings the slot at `dir` (git dir `gitDir`) back to `snapshot.commit`, clean and detached, when its
 * task only added files (see above). False, having changed nothing, when git must do it. Throws when
 * it failed halfway (a file that would not go): the caller then has git reset the slot in full.
 */
export async function undoAdditions(
  dir: string,
  gitDir: string,
  commonDir: string,
  snapshot: IndexSnapshot,
): Promise<boolean> {
  const before = snapshot.entries();
  if (!before || readdirSync(gitDir).some((name) => !QUIET_GIT_DIR.has(name))) return false;
  const current = parseIndex(readFileSync(join(gitDir, "index")));
  if (!current) return false;
  const added: string[] = [];
  let kept = 0;
  for (const entry of current.entries) {
    const was = before.get(entry.path);
    if (entry.unread) return false;
    if (was === undefined) {
      if (entry.mode === "160000") return false;
      added.push(entry.path);
    } else if (was !== `${entry.mode} ${entry.oid.toString("hex")}`) return false;
    else kept++;
  }
  if (kept !== before.size) return false;

  // The index lock, as git takes it: no git command works on this index meanwhile.
  const lock = join(gitDir, "index.lock");
  let fd: number;
  try {
    fd = openSync(lock, "wx");
  } catch {
    return false;
  }
  let placed = false;
  try {
    try {
      removeAdded(dir, added);
      writeSync(fd, snapshot.bytes);
    } finally {
      closeSync(fd);
    }
    renameSync(lock, join(gitDir, "index"));
    placed = true;
  } finally {
    if (!placed) rmSync(lock, { force: true });
  }
  if (!(await writeDetachedHead(gitDir, commonDir, snapshot.commit))) {
    throw new Error("HEAD could not be detached in-process");
  }
  return true;
}

/** Removes the files at `paths` (index paths) from the work tree at `dir`, and the directories they leave empty. */
function removeAdded(dir: string, paths: readonly string[]): void {
  const root = Buffer.from(`${dir}/`);
  const inTree = (path: string) => Buffer.concat([root, Buffer.from(path, "latin1")]);
  const dirs = new Set<string>();
  for (const path of paths) {
    try {
      unlinkSync(inTree(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1)) {
      dirs.add(path.slice(0, slash));
    }
  }
  // Deepest first, as git's checkout removes the directories it empties.
  const deepestFirst = [...dirs].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const path of deepestFirst) {
    try {
      rmdirSync(inTree(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Still holds an ignored or a tracked file, or is gone already: it stays as git would leave it.
      if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw error;
    }
  }
}
