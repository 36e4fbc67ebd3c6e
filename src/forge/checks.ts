import type { ForgeClient } from "./client.js";

export interface CheckSummary {
  pending: string[];
  failed: string[];
  passed: string[];
}

const FAILED = new Set(["failure", "cancelled", "timed_out", "action_required", "startup_failure", "stale"]);

/** Check runs and commit statuses on a commit, sorted into pending, failed and passed by name. */
export async function readChecks(client: ForgeClient, sha: string): Promise<CheckSummary> {
  const { octokit, owner, repo } = client;
  const [runs, combined] = await Promise.all([
    octokit.rest.checks.listForRef({ owner, repo, ref: sha, per_page: 100 }),
    octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: 100 }),
  ]);
  const out: CheckSummary = { pending: [], failed: [], passed: [] };
  for (const run of runs.data.check_runs) {
    if (run.status !== "completed") out.pending.push(run.name);
    else if (FAILED.has(run.conclusion ?? "")) out.failed.push(run.name);
    else out.passed.push(run.name);
  }
  for (const status of combined.data.statuses) {
    if (status.state === "pending") out.pending.push(status.context);
    else if (status.state === "success") out.passed.push(status.context);
    else out.failed.push(status.context);
  }
  return out;
}
