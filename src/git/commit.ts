import type { Git } from "./git.js";
import { fallbackIdentityEnv } from "./identity.js";
import { headCommit, revParse } from "./refs.js";

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
}

/**
 * Hooks are off for Orchard's own commits: `--no-verify` skips pre-commit/commit-msg, and an empty
 * hooksPath also silences prepare-commit-msg and post-commit, which --no-verify does not. A hook could
 * wait for input that never comes, be slow, or rewrite the files the verification commands already
 * checked; the agent's own commits still run the repository's hooks.
 */
const NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];

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
  await git.run(["add", "-A"], { cwd });
  const { exitCode } = await git.run(["diff", "--cached", "--quiet", "--no-ext-diff"], {
    cwd,
    okExitCodes: [1],
  });
  const staged = exitCode === 1;
  let head = await headCommit(git, cwd);
  const commitNow = staged || Boolean(opts.allowEmpty && head === opts.since);
  if (commitNow) {
    const args = [...NO_HOOKS, "commit", "-q", "--no-verify", "-F", "-"];
    if (!staged) args.push("--allow-empty");
    if (opts.author) args.push(`--author=${opts.author}`);
    await git.run(args, { cwd, input: message, env: await fallbackIdentityEnv(git, cwd) });
    head = await headCommit(git, cwd);
  }
  if (head === opts.since) return { commit: null, changed: false, committedNow: false };
  const [headTree, baseTree] = await Promise.all([
    revParse(git, `${head}^{tree}`, cwd),
    revParse(git, `${opts.since}^{tree}`, cwd),
  ]);
  return { commit: head, changed: headTree !== baseTree, committedNow: commitNow };
}
