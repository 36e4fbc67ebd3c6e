import { GitError } from "./errors.js";
import type { Git } from "./git.js";
import { repoIdentity } from "./identity.js";
import type { MergeTreeServer } from "./merge-server.js";
import { looseCommitTree, writeCommitObject } from "./objects.js";
import { parseMergeTreeZ } from "./parse/merge-tree.js";
import { isFullSha } from "./ref-files.js";
import { isAncestor, updateRef } from "./refs.js";
import { repoLayout } from "./repo.js";

export type MergeTreeOutcome =
  | { clean: true; tree: string }
  | { clean: false; conflicts: string[]; message: string };

/**
 * Merges two commits without a worktree or index (git ≥ 2.38 `merge-tree --write-tree`). Nothing but
 * objects is written, so it is safe to run next to the user's checkout.
 */
export async function mergeTree(
  git: Git,
  ours: string,
  theirs: string,
  server?: MergeTreeServer,
): Promise<MergeTreeOutcome> {
  let parsed = (await server?.merge(ours, theirs)) ?? null;
  if (!parsed) {
    const args = ["merge-tree", "--write-tree", "-z", "--name-only", "--messages", ours, theirs];
    const { stdout, exitCode } = await git.run(args, { okExitCodes: [1] });
    parsed = parseMergeTreeZ(stdout, exitCode);
  }
  return parsed.clean ? parsed : { clean: false, conflicts: parsed.conflicts, message: parsed.message };
}

/**
 * `mergeTree(head, theirs)` for a `theirs` whose only parent is `base`, an ancestor of `head`: then
 * `base` is their merge base, and git need not look for it. A `git merge-tree` per merge would: it
 * walks every commit between `head` and the base, which on a run's integration branch is every merge
 * landed so far (each a loose object), ~2 ms after a few landings and ~16 ms after 500
 * (docs/benchmarks.md). Merging `theirs` with a stand-in for `head` — `head`'s tree in a commit whose
 * parent is `base`, written in-process and never referenced — gives the same three-way merge (same
 * base, same trees) at the first cost. A merge server reads each landed commit once and keeps it, so
 * it merges `head` itself; so does git without in-process commits, or when `head` is not loose.
 */
async function mergeOntoBase(
  git: Git,
  head: string,
  theirs: string,
  base: string,
  server?: MergeTreeServer,
): Promise<MergeTreeOutcome> {
  const [{ writer }, { commonDir }, served] = await Promise.all([
    repoIdentity(git),
    repoLayout(git),
    server?.serving() ?? false,
  ]);
  const headTree = writer && !served ? looseCommitTree(commonDir, head) : null;
  if (!writer || !headTree || !isFullSha(base)) return mergeTree(git, head, theirs, server);
  const standIn = await writeCommitObject(commonDir, {
    tree: headTree,
    parents: [base],
    message: `Orchard: the integration tree at ${head}, on ${base}\n`,
    ...writer,
  });
  return mergeTree(git, standIn, theirs, server);
}

/**
 * Writes a commit object for `tree` (an object name, or `<commit>^{tree}`). In-process where it can be
 * (objects.ts: no git process on the landing path), else `git commit-tree`; the message goes through
 * stdin, never argv.
 */
export async function commitTree(
  git: Git,
  tree: string,
  parents: readonly string[],
  message: string,
): Promise<string> {
  const [{ writer, env }, { commonDir }] = await Promise.all([repoIdentity(git), repoLayout(git)]);
  if (writer && parents.every((p) => isFullSha(p) && p.length === 40)) {
    const ofCommit = /^([0-9a-f]{40})\^\{tree\}$/.exec(tree)?.[1];
    const treeSha = ofCommit
      ? looseCommitTree(commonDir, ofCommit)
      : /^[0-9a-f]{40}$/.test(tree)
        ? tree
        : null;
    if (treeSha) return writeCommitObject(commonDir, { tree: treeSha, parents, message, ...writer });
  }
  const args = ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-F", "-"];
  const { stdout } = await git.run(args, { input: message, env });
  const commit = stdout.trim();
  if (!/^[0-9a-f]{40,64}$/.test(commit)) {
    throw new GitError({
      code: "UNKNOWN",
      args,
      exitCode: 0,
      stderr: `commit-tree printed ${JSON.stringify(stdout)}`,
    });
  }
  return commit;
}

export interface MergeIntoRefInput {
  /** Full ref name, e.g. `refs/heads/orchard/<run>/integration`. */
  ref: string;
  /** Where the caller believes `ref` points; the update is a compare-and-swap against it. */
  expectedHead: string;
  /** The commit to merge in (a task branch's head). */
  theirs: string;
  message: string;
  /**
   * Set when `theirs` is known to be a fresh commit whose only parent is this commit (Orchard committed
   * a task's work directly on its base, in this run). When that is `expectedHead` too, the merged tree
   * is theirs' own: no merge to compute, one git process instead of three; otherwise `theirs` is not
   * asked about being contained already.
   */
  theirsParent?: string;
  /** Computes the merge when it can (one long-lived git for many merges); else a git per merge. */
  server?: MergeTreeServer;
}

export type MergeIntoRefResult =
  | { kind: "merged"; commit: string }
  | { kind: "conflict"; conflicts: string[] };

/**
 * Lands `theirs` on `ref` as a --no-ff merge (parents [head, theirs]) without touching any worktree. The
 * ref moves only after a clean merge, in one CAS, so it is never half-merged; a concurrent move of the
 * ref throws GitError REF_CHANGED. Work that is already contained in the head is "merged" as the head.
 */
export async function mergeIntoRef(git: Git, input: MergeIntoRefInput): Promise<MergeIntoRefResult> {
  if (input.theirsParent !== undefined && input.theirsParent === input.expectedHead) {
    const parents = [input.expectedHead, input.theirs];
    const commit = await commitTree(git, `${input.theirs}^{tree}`, parents, input.message);
    await updateRef(git, input.ref, commit, input.expectedHead, `orchard: merge ${input.theirs}`);
    return { kind: "merged", commit };
  }
  // Asked side by side: the common case (not contained yet) needs the merged tree anyway. A commit
  // known to sit on its base (`theirsParent`) is a fresh one of this run: not contained, nothing to ask.
  const [contained, merged] = await Promise.all([
    input.theirsParent === undefined ? isAncestor(git, input.theirs, input.expectedHead) : false,
    input.theirsParent === undefined
      ? mergeTree(git, input.expectedHead, input.theirs, input.server)
      : mergeOntoBase(git, input.expectedHead, input.theirs, input.theirsParent, input.server),
  ]);
  if (contained) return { kind: "merged", commit: input.expectedHead };
  if (!merged.clean) return { kind: "conflict", conflicts: merged.conflicts };
  const commit = await commitTree(git, merged.tree, [input.expectedHead, input.theirs], input.message);
  await updateRef(git, input.ref, commit, input.expectedHead, `orchard: merge ${input.theirs}`);
  return { kind: "merged", commit };
}
