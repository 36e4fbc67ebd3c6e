import { classifyGitError, GitError } from "./errors.js";
import type { Git } from "./git.js";
import { fallbackIdentityEnv } from "./identity.js";
import { headCommit } from "./refs.js";
import { repoLayout } from "./repo.js";
import { headFromFiles } from "./slot-ops.js";

export interface CommitAllOptions {
  /** The commit the slot started from; decides whether anything happened at all. */
  since: string;
  /** Make a commit even when nothing is staged (and nothing was committed since `since`). */
  allowEmpty?: boolean;
  /** `Name <email>`; defaults to the repository's identity. */
  author?: string;
}

export interface CommitAllResult {
  /** HEAD after committing, or null when HEAD is still `since` (nothing committed by anyone). */
  commit: string | null;
  /** True when HEAD's tree differs from the tree of `since` (agent commits that net to nothing: false). */
  changed: boolean;
  /** True when Orchard made a commit here (there were uncommitted changes). */
  committedNow: boolean;
  /** True when `commit` is Orchard's, made directly on `since` (the agent committed nothing itself). */
  onSince?: boolean;
}

/**
 * Hooks are off for Orchard's own commits: `--no-verify` skips pre-commit/commit-msg, and an empty
 * hooksPath also silences prepare-commit-msg and post-commit, which --no-verify does not. A hook could
 * wait for input that never comes, be slow, or rewrite the files the verification commands already
 * checked; the agent's own commits still run the repository's hooks.
 */
const NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];

/**
 * `git commit` starts `git maintenance run --auto` after every commit: one more process on each task's
 * path (measured 2–5 ms here). The repository's maintenance still runs from the user's own git commands.
 */
const NO_AUTO_MAINTENANCE = ["-c", "maintenance.auto=false"];

/**
 * Stages everything in the slot (new, modified and deleted files; ignored files stay out) and commits it
 * if the index differs from HEAD. Commits the agent made itself are kept: the result is about HEAD.
 */
export async function commitAll(
  git: Git,
  cwd: string,
  message: string,
  opts: CommitAllOptions,
): Promise<CommitAllResult> {
  // Two git processes in the common case (add, commit): commits are on every task's path, and each
  // process costs milliseconds (docs/benchmarks.md). HEAD is read from the ref files where it can be.
  const { commonDir } = await repoLayout(git);
  await git.run(["add", "-A"], { cwd });
  const before = await headFromFiles(cwd, commonDir);
  const env = await fallbackIdentityEnv(git);
  const commit = async (allowEmpty: boolean) => {
    const args = [...NO_HOOKS, ...NO_AUTO_MAINTENANCE, "commit", "-q", "--no-verify", "-F", "-"];
    if (allowEmpty) args.push("--allow-empty");
    if (opts.author) args.push(`--author=${opts.author}`);
    const r = await git.run(args, { cwd, input: message, env, okExitCodes: [1] });
    if (r.exitCode === 0) return true;
    // Exit 1 with "nothing to commit" is the clean index; anything else is a real failure.
    if (classifyGitError(r.stderr, r.stdout) === "NOTHING_TO_COMMIT") return false;
    throw new GitError({
      code: classifyGitError(r.stderr, r.stdout),
      args,
      exitCode: r.exitCode,
      stderr: r.stderr,
    });
  };
  let committedNow = await commit(false);
  let emptyCommit = false;
  if (!committedNow && opts.allowEmpty && (before ?? (await headCommit(git, cwd))) === opts.since) {
    committedNow = emptyCommit = await commit(true);
  }
  if (before === opts.since) {
    // The agent made no commits of its own: what Orchard committed (or not) is the whole story.
    if (!committedNow) return { commit: null, changed: false, committedNow };
    const after = await headFromFiles(cwd, commonDir);
    if (after !== null && after !== before)
      return { commit: after, changed: !emptyCommit, committedNow, onSince: true };
  }
  const { stdout } = await git.run(["rev-parse", "HEAD", "HEAD^{tree}", `${opts.since}^{tree}`], {
    cwd,
    readOnly: true,
  });
  const [head, headTree, baseTree] = stdout.trim().split("\n");
  if (!head || head === opts.since) return { commit: null, changed: false, committedNow };
  return { commit: head, changed: headTree !== baseTree, committedNow };
}
