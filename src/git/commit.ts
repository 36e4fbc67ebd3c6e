import { join } from "node:path";
import { classifyGitError, GitError } from "./errors.js";
import type { Git } from "./git.js";
import { fallbackIdentityEnv, identSafe, repoIdentity } from "./identity.js";
import { writeIndexTreeKeyed } from "./index-tree.js";
import { looseCommitTree, writeCommitObject } from "./objects.js";
import { headBranch, headFromGitDir, linkedGitDir } from "./ref-files.js";
import { headCommit, updateRef } from "./refs.js";
import { repoLayout } from "./repo.js";

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
  /**
   * Set when Orchard staged the whole work tree (`git add -A`) and HEAD's tree is that index, read
   * in-process: the index's clean key (index-tree.ts). Nothing `git clean` would remove was left then,
   * unless something wrote to the work tree since, which the caller knows about and this does not.
   */
  cleanKey?: string;
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
  // One git process in the common case (add; the tree and the commit written in-process), else two
  // or more: commits are on every task's path, and each process costs milliseconds
  // (docs/benchmarks.md). HEAD is read from the ref files where it can be: the worktree's git dir
  // (null for a checkout that is not a linked worktree; git is asked then).
  const { commonDir } = await repoLayout(git);
  const gitDir = linkedGitDir(join(cwd, ".git")) ?? null;
  const headNow = () => (gitDir ? headFromGitDir(gitDir, commonDir) : null);
  await git.run(["add", "-A"], { cwd });
  const before = headNow();
  if (before === opts.since && gitDir) {
    const written = await commitInProcess(git, cwd, { gitDir, commonDir }, message, opts);
    if (written) return written;
  }
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
    const after = headNow();
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

/**
 * The commit `git commit -F -` would make on a slot's branch, its tree and commit objects written
 * in-process (index-tree.ts, objects.ts; `git write-tree` where the index is not one that reader
 * takes) where nothing else is asked of it: `git commit` read and rewrote the index
 * again, updated two reflogs and cost ~1 ms more CPU than `write-tree` (docs/benchmarks.md). Null when
 * git must commit: a signed or re-encoded commit, a configured `commit.cleanup` or a message it would
 * tidy, an author it would clean up, HEAD not on one of Orchard's branches. The branch moves as
 * `updateRef` moves Orchard's refs: in-process, with no reflog entry, where refs are files.
 */
async function commitInProcess(
  git: Git,
  cwd: string,
  { gitDir, commonDir }: { gitDir: string; commonDir: string },
  message: string,
  opts: CommitAllOptions,
): Promise<CommitAllResult | null> {
  const { writer, defaultCleanup } = await repoIdentity(git);
  const ref = headBranch(gitDir);
  // git ends a message with a line break when it lacks one; anything else it would tidy, it tidies.
  const text = message.endsWith("\n") ? message : `${message}\n`;
  if (!writer || !defaultCleanup || !tidyMessage(text) || !ref?.startsWith("refs/heads/orchard/")) {
    return null;
  }
  let author = writer.author;
  if (opts.author !== undefined) {
    const m = /^(.*) <(.*)>$/.exec(opts.author);
    if (!m || !identSafe(m[1]!) || !identSafe(m[2]!)) return null;
    author = { name: m[1]!, email: m[2]! };
  }
  const written = writeIndexTreeKeyed(join(gitDir, "index"), commonDir);
  const [tree, sinceTree] = await Promise.all([
    written?.tree ?? git.run(["write-tree"], { cwd }).then((r) => r.stdout.trim()),
    treeOf(git, commonDir, opts.since),
  ]);
  const changed = tree !== sinceTree;
  const keyed = written ? { cleanKey: written.cleanKey } : {};
  if (!changed && !opts.allowEmpty) return { commit: null, changed: false, committedNow: false, ...keyed };
  const commit = await writeCommitObject(commonDir, {
    tree,
    parents: [opts.since],
    author,
    committer: writer.committer,
    message: text,
  });
  await updateRef(git, ref, commit, opts.since, "orchard: commit");
  return { commit, changed, committedNow: true, onSince: true, ...keyed };
}

/** A message `git commit`'s whitespace clean-up leaves as it is (so git would commit these bytes). */
function tidyMessage(message: string): boolean {
  if (!message.endsWith("\n") || /[\0\r]/.test(message)) return false;
  const lines = message.slice(0, -1).split("\n");
  if (lines[0] === "" || lines.at(-1) === "") return false;
  return lines.every((line, i) => !/\s$/.test(line) && !(line === "" && lines[i - 1] === ""));
}

/** Commit → tree, for the bases tasks start from: a commit's tree never changes. */
const trees = new Map<string, string>();

async function treeOf(git: Git, commonDir: string, commit: string): Promise<string> {
  let tree = trees.get(commit) ?? looseCommitTree(commonDir, commit);
  if (tree === null || tree === undefined) {
    tree = (await git.run(["rev-parse", `${commit}^{tree}`], { readOnly: true })).stdout.trim();
  }
  if (trees.size >= 1000) trees.clear();
  trees.set(commit, tree);
  return tree;
}
