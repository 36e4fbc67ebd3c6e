import { type Git, tryRevParse, updateRef, worktreeList } from "../git/index.js";
import type { RunRecord } from "../store/types.js";
import { headsRef } from "./refs.js";

/**
 * `--into BRANCH`: fast-forwards the user's branch to the integration result, only if it still points
 * where the run started (nobody moved it) and it is not checked out anywhere (that would leave a
 * working tree out of step with its branch, and Orchard never touches a checkout).
 */
export async function fastForwardInto(
  git: Git,
  branch: string,
  run: RunRecord,
): Promise<{ branch: string; updated: boolean; message: string }> {
  const ref = headsRef(branch);
  const target = run.integrationHead ?? run.baseCommit;
  const current = await tryRevParse(git, ref);
  if (current === null) {
    await updateRef(git, ref, target, null);
    return { branch, updated: true, message: `created ${branch} at ${target.slice(0, 12)}` };
  }
  if (current !== run.baseCommit) {
    return {
      branch,
      updated: false,
      message: `${branch} moved since the run started; merge ${run.integrationBranch} yourself`,
    };
  }
  const checkedOut = (await worktreeList(git)).find((w) => w.branch === ref);
  if (checkedOut) {
    return {
      branch,
      updated: false,
      message: `${branch} is checked out in ${checkedOut.path}; run \`git merge --ff-only ${run.integrationBranch}\` there`,
    };
  }
  await updateRef(git, ref, target, current);
  return { branch, updated: true, message: `fast-forwarded ${branch} to ${target.slice(0, 12)}` };
}
