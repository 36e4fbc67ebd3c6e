import { OrchardError } from "../errors.js";
import { type Git, isAncestor, removeStaleRefLocks, tryRevParse, updateRef } from "../git/index.js";
import type { RunRecord } from "../store/types.js";
import { headsRef } from "./refs.js";

/**
 * Before a resumed run spends anything on agents, its integration branch must be where the store
 * says it is, or no task could land. Deleted (`orchard clean`) while its commit is still in the
 * repository: made again there. Moved to a commit that does not contain the recorded one (reset,
 * rewritten): refused, with how to put it back. Ahead of the record is left to the integrator, which
 * recognizes a landing that a crash kept from being recorded. Locks a killed git left on the run's
 * refs are cleared first, here where nothing of the run is running yet: never while it runs.
 */
export async function restoreIntegrationBranch(git: Git, run: RunRecord): Promise<void> {
  const branch = run.integrationBranch;
  const ref = headsRef(branch);
  const expected = run.integrationHead ?? run.baseCommit;
  const short = expected.slice(0, 12);
  await removeStaleRefLocks(git, headsRef(`orchard/${run.id}`));
  const actual = await tryRevParse(git, ref);
  if (actual === expected) return;
  if (actual === null) {
    if ((await tryRevParse(git, `${expected}^{commit}`)) === expected) {
      await updateRef(git, ref, expected, null);
      return;
    }
    throw new OrchardError(
      "REPO_INVALID",
      `run ${run.id} cannot be resumed: its integration branch ${branch} was deleted and its commit ${short} is no longer in the repository; start a new run`,
    );
  }
  if (await isAncestor(git, expected, actual)) return;
  throw new OrchardError(
    "REPO_INVALID",
    `run ${run.id}'s integration branch ${branch} moved outside Orchard: it should be at ${short}, it is at ${actual.slice(0, 12)}. \`git branch -f ${branch} ${expected}\` puts it back; then resume`,
  );
}

/**
 * Orchard's branches live under `refs/heads/orchard/`; git cannot hold a branch named `orchard` beside
 * them (a directory/file clash, whether the branch is loose or packed). Refused before a run starts,
 * with what to do, rather than failing at its first landing.
 */
export async function assertOrchardPrefixFree(git: Git): Promise<void> {
  const clash = await tryRevParse(git, "refs/heads/orchard");
  if (clash === null) return;
  throw new OrchardError(
    "REPO_INVALID",
    "a branch named `orchard` exists, and Orchard keeps its branches under orchard/ (git cannot hold both): rename it (`git branch -m orchard <new-name>`) and run again",
  );
}
