import { existsSync, realpathSync, rmSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { branchCheckedOutElsewhere } from "./checked-out.js";
import { GitError } from "./errors.js";
import type { Git, RunOptions } from "./git.js";
import { isFullSha, linkedGitDir, readOrNull, writeSymbolicHead } from "./ref-files.js";
import { updateRef } from "./refs.js";

/**
 * Every command aimed at a slot runs with its parent as a ceiling: if the slot's `.git` file were gone,
 * git would otherwise walk up and find the user's repository (slots live inside it), and a `clean -ffd`
 * meant for the slot would run in the user's checkout.
 */
export function inSlot(dir: string, extra: RunOptions = {}): RunOptions {
  return { ...extra, cwd: dir, env: { ...extra.env, GIT_CEILING_DIRECTORIES: dirname(dir) } };
}

/** The slot's own git directory, read from its `.git` file; throws unless it is a linked worktree. */
export async function slotGitDir(dir: string): Promise<string> {
  return slotGitDirSync(dir);
}

/** The slot's git dir with symlinks resolved, as git names worktrees in `<common dir>/worktrees/`. */
export function realSlotGitDir(dir: string): string {
  return realpathSync(slotGitDirSync(dir));
}

/** `slotGitDir` without a thread-pool round trip: one tiny file, read on every hand-off and commit. */
function slotGitDirSync(dir: string): string {
  const gitDir = linkedGitDir(join(dir, ".git"));
  if (!gitDir) {
    throw new GitError({
      code: "NOT_A_REPO",
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
 * Hands a slot that is clean at `base` to `branch` without touching a work-tree file: only the branch ref
 * and HEAD are written, in-process where refs are files (no git process at all), where `checkout -B`
 * walks the whole index (measured ~40 ms on 5,000 files). A branch checked out in another worktree, the
 * user's included, is refused as `git branch -f` would refuse it.
 */
export async function handOffClean(
  git: Git,
  slot: {
    dir: string;
    commonDir: string;
    cleanAt: string;
    gitDir?: string;
    poolGitDirs?: ReadonlySet<string>;
  },
  branch: string,
  base: string,
): Promise<void> {
  const { dir } = slot;
  const ownGitDir = slot.gitDir ?? realSlotGitDir(dir);
  const holder = await branchCheckedOutElsewhere(slot.commonDir, ownGitDir, branch, slot.poolGitDirs);
  if (holder === null) {
    await git.run(["branch", "-f", branch, base], inSlot(dir));
    await git.run(["symbolic-ref", "HEAD", `refs/heads/${branch}`], inSlot(dir));
    return;
  }
  if (holder !== false) {
    throw new GitError({
      code: "BRANCH_CHECKED_OUT",
      args: [],
      exitCode: null,
      stderr: `branch '${branch}' is checked out by the worktree whose git dir is ${holder}`,
    });
  }
  const ref = `refs/heads/${branch}`;
  // Both are written in-process as git would (ref-files.ts) unless the repository needs git for it.
  const results = await Promise.allSettled([
    updateRef(git, ref, base, undefined, "orchard: slot hand-off"),
    writeSymbolicHead(ownGitDir, slot.commonDir, ref).then(async (done) => {
      if (!done) await git.run(["symbolic-ref", "HEAD", ref], inSlot(dir));
    }),
  ]);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    // Leave the slot detached where it was rather than on a branch that may not exist.
    await git.run(["update-ref", "--no-deref", "HEAD", slot.cleanAt], inSlot(dir)).catch(() => undefined);
    throw failed.reason;
  }
}

/** Moves a clean slot to `base` on `branch`: tracked files rewritten, untracked removed, ignored kept. */
export async function handOffMoved(git: Git, dir: string, branch: string, base: string): Promise<void> {
  await git.run(["checkout", "-q", "-f", "-B", branch, base], inSlot(dir));
  // Files ignored at the old commit may be untracked at the new one.
  await git.run(["clean", "-ffdq"], inSlot(dir));
}

/**
 * Brings a used slot back to `target`'s tree (HEAD's when not given), clean and detached (so its branch
 * can be moved or deleted), keeping ignored files such as node_modules. Returns the commit it is clean at.
 * `-ff` also removes nested repositories an agent may have cloned; `checkout -f` drops merge and
 * cherry-pick state itself, rebase and sequencer state need their own --quit. `skipClean` when the
 * caller knows the checkout leaves nothing for `git clean` (SlotWork.reset, pool-work.ts).
 */
export async function resetSlot(
  git: Git,
  dir: string,
  target?: string,
  opts: { skipClean?: boolean } = {},
): Promise<string> {
  const gitDir = await slotGitDir(dir);
  await removeStaleLocks(gitDir);
  if (existsSync(join(gitDir, "rebase-merge")) || existsSync(join(gitDir, "rebase-apply"))) {
    await git.run(["rebase", "--quit"], inSlot(dir));
  }
  if (existsSync(join(gitDir, "sequencer"))) {
    await git.run(["cherry-pick", "--quit"], inSlot(dir));
  }
  await git.run(["checkout", "-q", "-f", "--detach", ...(target ? [target] : [])], inSlot(dir));
  if (!opts.skipClean) await git.run(["clean", "-ffdq"], inSlot(dir));
  if (target && isFullSha(target)) return target;
  // A detached HEAD file holds the commit itself: reading it saves a git process on every release.
  const head = readOrNull(join(gitDir, "HEAD")) ?? "";
  if (isFullSha(head)) return head;
  const { stdout } = await git.run(["rev-parse", "HEAD"], inSlot(dir, { readOnly: true }));
  return stdout.trim();
}

/** Moves a free, clean slot to `base`, detached (used by prewarm). */
export async function moveSlot(git: Git, dir: string, base: string): Promise<void> {
  await git.run(["checkout", "-q", "-f", "--detach", base], inSlot(dir));
  await git.run(["clean", "-ffdq"], inSlot(dir));
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
