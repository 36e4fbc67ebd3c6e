import { classifyGitError, GitError } from "./errors.js";
import type { Git } from "./git.js";
import { inSlot, type SlotDirs, verifySlot } from "./slot-ops.js";

export interface CommitAllOptions {
  /** The commit the slot started from; decides whether anything happened at all. */
  since: string;
  /** `Name <email>`; defaults to the identity git picks for the slot. */
  author?: string;
  /** Run the repository's pre-commit and commit-msg hooks (default: off, `--no-verify`). */
  hooks?: boolean;
}

export interface CommitAllResult {
  /** HEAD after committing, or null when HEAD is still `since` (nothing committed by anyone). */
  commit: string | null;
  /** True when HEAD's tree differs from the tree of `since` (agent commits that net to nothing: false). */
  changed: boolean;
  /** True when Orchard made a commit here (there were uncommitted changes). */
  committedNow: boolean;
  /**
   * False when HEAD does not descend from `since` (the agent reset or rebased its branch below the
   * base, or checked out something else): such a result must not land (issue 20, item 6).
   */
  descends: boolean;
}

/**
 * `git commit` starts `git maintenance run --auto` after every commit: one more process on each task's
 * path. The repository's maintenance still runs from the user's own git commands.
 */
const NO_AUTO_MAINTENANCE = ["-c", "maintenance.auto=false"];

/**
 * Git's answers when it has no identity to commit with (fresh CI machines, containers): then, and only
 * then, Orchard names itself. Whatever identity git does find (config, includeIf, author.* and
 * committer.*, EMAIL, GIT_AUTHOR_*) is git's to apply.
 */
const NO_IDENTITY = /Please tell me who you are|unable to auto-detect email address|empty ident name/;
export const ORCHARD_IDENTITY = { name: "Orchard", email: "orchard@localhost" } as const;
const ORCHARD_IDENTITY_ENV = {
  GIT_AUTHOR_NAME: ORCHARD_IDENTITY.name,
  GIT_AUTHOR_EMAIL: ORCHARD_IDENTITY.email,
  GIT_COMMITTER_NAME: ORCHARD_IDENTITY.name,
  GIT_COMMITTER_EMAIL: ORCHARD_IDENTITY.email,
};

/**
 * Stages everything in the slot (new, modified and deleted files; ignored files stay out) and commits
 * it with `git commit`, which keeps what the agent left behind as git would: a merge in progress
 * (MERGE_HEAD) commits as a merge, a resolved cherry-pick keeps its author, signing, hooks, reflogs and
 * every config key apply. Commits the agent made itself are kept: the result is about HEAD. Every
 * command names the slot's git dir and work tree, and the slot is checked to still be the slot first:
 * an agent that deleted or rewrote its `.git` file fails the attempt instead of reaching the user's
 * checkout (issue 20, item 1).
 */
export async function commitAll(
  git: Git,
  slot: SlotDirs,
  message: string,
  opts: CommitAllOptions,
): Promise<CommitAllResult> {
  verifySlot(slot);
  await git.run(["add", "-A"], inSlot(slot));
  const committedNow = await commit(git, slot, message, opts);
  const after = await head(git, slot, opts.since);
  if (after.head === opts.since) return { commit: null, changed: false, committedNow, descends: true };
  return {
    commit: after.head,
    changed: after.tree !== after.sinceTree,
    committedNow,
    descends: after.descends,
  };
}

async function commit(git: Git, slot: SlotDirs, message: string, opts: CommitAllOptions): Promise<boolean> {
  const args = [...NO_AUTO_MAINTENANCE, "commit", "-q", "-F", "-"];
  if (!opts.hooks) args.push("--no-verify");
  if (opts.author) args.push(`--author=${opts.author}`);
  let r = await git.run(args, inSlot(slot, { input: message, okExitCodes: [1, 128] }));
  if (r.exitCode !== 0 && NO_IDENTITY.test(r.stderr)) {
    r = await git.run(args, inSlot(slot, { input: message, okExitCodes: [1], env: ORCHARD_IDENTITY_ENV }));
  }
  if (r.exitCode === 0) return true;
  // Exit 1 with "nothing to commit" is the clean index; anything else (a tree naming a missing
  // object, a hook that said no) is a real failure.
  const code = classifyGitError(r.stderr, r.stdout);
  if (r.exitCode === 1 && code === "NOTHING_TO_COMMIT") return false;
  throw new GitError({ code, args, exitCode: r.exitCode, stderr: r.stderr || r.stdout });
}

/** HEAD, its tree, the tree of `since` and whether HEAD descends from `since`, in two git processes. */
async function head(
  git: Git,
  slot: SlotDirs,
  since: string,
): Promise<{ head: string; tree: string; sinceTree: string; descends: boolean }> {
  // HEAD's parents too: the usual commit sits right on `since`, and then no merge-base is asked.
  const revs = ["HEAD", "HEAD^{tree}", `${since}^{tree}`, "HEAD^@"];
  const { stdout } = await git.run(["rev-parse", ...revs], inSlot(slot, { readOnly: true }));
  const [headSha = "", tree = "", sinceTree = "", ...parents] = stdout.trim().split("\n");
  if (headSha === since || parents.includes(since)) {
    return { head: headSha, tree, sinceTree, descends: true };
  }
  const { exitCode } = await git.run(
    ["merge-base", "--is-ancestor", since, headSha],
    inSlot(slot, { readOnly: true, okExitCodes: [1] }),
  );
  return { head: headSha, tree, sinceTree, descends: exitCode === 0 };
}
