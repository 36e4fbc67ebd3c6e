import { existsSync, realpathSync, rmSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { branchCheckedOutElsewhere } from "./checked-out.js";
import { GitError } from "./errors.js";
import { isFullSha, linkedGitDir, readOrNull } from "./files.js";
import type { Git, RunOptions } from "./git.js";
import { setRef } from "./refs.js";

/** A slot's work tree and its own git directory (`<common dir>/worktrees/<name>`), known to the pool. */
export interface SlotDirs {
  dir: string;
  gitDir: string;
}

/**
 * Every command aimed at a slot names the slot's git dir and work tree (GIT_DIR, GIT_WORK_TREE) and
 * stops discovery at the slot's parent: whatever an agent did to its `.git` file, git never walks up
 * into another repository, the user's included (issue 20, item 1).
 */
export function inSlot(slot: SlotDirs, extra: RunOptions = {}): RunOptions {
  return {
    ...extra,
    cwd: slot.dir,
    env: {
      ...extra.env,
      GIT_DIR: slot.gitDir,
      GIT_WORK_TREE: slot.dir,
      GIT_CEILING_DIRECTORIES: dirname(slot.dir),
    },
  };
}

/**
 * Throws GitError NOT_A_SLOT unless the slot's `.git` file still links to its git dir and the git dir
 * still points back at it: an agent that deleted or rewrote the link has left a slot Orchard must not
 * commit from.
 */
export function verifySlot(slot: SlotDirs): void {
  const dotGit = join(slot.dir, ".git");
  const linked = linkedGitDir(dotGit);
  const back = readOrNull(join(slot.gitDir, "gitdir"));
  const same = (a: string, b: string) => {
    try {
      return realpathSync(a) === realpathSync(b);
    } catch {
      return false;
    }
  };
  if (linked && back && same(linked, slot.gitDir) && same(back, dotGit)) return;
  throw new GitError({
    code: "NOT_A_SLOT",
    args: [],
    exitCode: null,
    stderr: `${slot.dir} is no longer the worktree Orchard made (its .git link was deleted or changed)`,
  });
}

/** The slot's own git directory, read from its `.git` file; throws unless it is a linked worktree. */
export async function slotGitDir(dir: string): Promise<string> {
  return slotGitDirSync(dir);
}

/** The slot's git dir with symlinks resolved, as git names worktrees in `<common dir>/worktrees/`. */
export function realSlotGitDir(dir: string): string {
  return realpathSync(slotGitDirSync(dir));
}

function slotGitDirSync(dir: string): string {
  const gitDir = linkedGitDir(join(dir, ".git"));
  if (!gitDir) {
    throw new GitError({
      code: "NOT_A_SLOT",
      args: [],
      exitCode: null,
      stderr: `${dir}/.git is not a worktree link`,
    });
  }
  return gitDir;
}

/** Lock files a killed git leaves behind in a worktree's git dir. Only call when no git runs there. */
export async function removeStaleLocks(gitDir: string): Promise<void> {
  // Looked for first: they are almost never there, and rm of a missing file still costs a round trip.
  const stale = ["index.lock", "HEAD.lock"].map((name) => join(gitDir, name)).filter((p) => existsSync(p));
  await Promise.all(stale.map((path) => rm(path, { force: true })));
}

/**
 * Hands a slot that is clean at `base` to `branch` without touching a work-tree file: the branch is
 * created (or moved) at `base` and HEAD pointed at it, where `checkout -B` walks the whole index. A
 * branch checked out in another worktree, the user's included, is refused as `git branch -f` would.
 */
export async function handOffClean(
  git: Git,
  slot: SlotDirs & { commonDir: string; cleanAt: string; poolGitDirs?: ReadonlySet<string> },
  branch: string,
  base: string,
): Promise<void> {
  const holder = await branchCheckedOutElsewhere(slot.commonDir, slot.gitDir, branch, slot.poolGitDirs);
  if (holder === null) {
    await git.run(["branch", "-f", branch, base], inSlot(slot));
  } else if (holder !== false) {
    throw new GitError({
      code: "BRANCH_CHECKED_OUT",
      args: [],
      exitCode: null,
      stderr: `branch '${branch}' is checked out by the worktree whose git dir is ${holder}`,
    });
  } else {
    await setRef(git, `refs/heads/${branch}`, base, "orchard: slot hand-off");
  }
  await git.run(["symbolic-ref", "HEAD", `refs/heads/${branch}`], inSlot(slot));
}

/** Moves a clean slot to `base` on `branch`: tracked files rewritten, untracked removed, ignored kept. */
export async function handOffMoved(git: Git, slot: SlotDirs, branch: string, base: string): Promise<void> {
  await git.run(["checkout", "-q", "-f", "-B", branch, base], inSlot(slot));
  // Files ignored at the old commit may be untracked at the new one.
  await git.run(["clean", "-ffdq"], inSlot(slot));
}

/**
 * Brings a used slot back to `target`'s tree (HEAD's when not given), detached (so its branch can be
 * moved or deleted), exactly as a fresh checkout of it would be, ignored files such as node_modules
 * aside: the index is read afresh from the tree first, so nothing a task left in it — assume-unchanged and
 * skip-worktree flags, stat data that hides an exec bit under core.fileMode=false or CRLF under
 * eol=lf — survives into the next task (issue 19, item 5); every tracked file is written afresh.
 * `-ff` also removes nested repositories an agent may have cloned; `checkout -f` drops merge and
 * cherry-pick state itself, rebase and sequencer state need their own --quit. A slot whose link to
 * its git dir is broken throws (the pool rebuilds it). Returns the commit it is clean at.
 */
export async function resetSlot(git: Git, slot: SlotDirs, target?: string): Promise<string> {
  verifySlot(slot);
  const { gitDir } = slot;
  await removeStaleLocks(gitDir);
  if (existsSync(join(gitDir, "rebase-merge")) || existsSync(join(gitDir, "rebase-apply"))) {
    await git.run(["rebase", "--quit"], inSlot(slot));
  }
  if (existsSync(join(gitDir, "sequencer"))) {
    await git.run(["cherry-pick", "--quit"], inSlot(slot));
  }
  // A fresh index read from the tree (no flags, no stat data), by git: checkout -f then writes every file.
  await git.run(["read-tree", target ?? "HEAD"], inSlot(slot));
  await git.run(["checkout", "-q", "-f", "--detach", ...(target ? [target] : [])], inSlot(slot));
  await git.run(["clean", "-ffdq"], inSlot(slot));
  if (target && isFullSha(target)) return target;
  const { stdout } = await git.run(["rev-parse", "HEAD"], inSlot(slot, { readOnly: true }));
  return stdout.trim();
}

/** Moves a free, clean slot to `base`, detached (used by prewarm). */
export async function moveSlot(git: Git, slot: SlotDirs, base: string): Promise<void> {
  await git.run(["checkout", "-q", "-f", "--detach", base], inSlot(slot));
  await git.run(["clean", "-ffdq"], inSlot(slot));
}

/** Written into a slot's git dir once a reset left it clean (when the pool settles); removed before the slot is handed out. */
const CLEAN_MARK = "orchard-clean";

/** Records that the slot is clean and detached at `commit`, for the next pool that adopts it. */
export async function markClean(dir: string, commit: string): Promise<void> {
  await writeFile(join(await slotGitDir(dir), CLEAN_MARK), `${commit}\n`);
}

/** Forgets the mark: from here on the slot holds a task's work until a reset marks it again. */
export async function unmarkClean(dir: string): Promise<void> {
  rmSync(join(slotGitDirSync(dir), CLEAN_MARK), { force: true });
}

/**
 * The commit an adopted slot is known to be clean at: its mark, written after the reset that followed its
 * last task, names the commit its detached HEAD holds. Null when there is no mark (a crash mid-task, a slot
 * of an older Orchard) or they disagree: such a slot is reset before use.
 */
export async function cleanMark(dir: string): Promise<string | null> {
  const gitDir = await slotGitDir(dir).catch(() => null);
  if (gitDir === null) return null;
  const mark = readOrNull(join(gitDir, CLEAN_MARK)) ?? "";
  const head = readOrNull(join(gitDir, "HEAD")) ?? "";
  return mark !== "" && mark === head && isFullSha(mark) ? mark : null;
}
