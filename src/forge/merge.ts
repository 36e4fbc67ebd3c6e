import { setTimeout as sleep } from "node:timers/promises";
import { readChecks } from "./checks.js";
import type { ForgeClient } from "./client.js";
import { githubReason, httpStatus } from "./errors.js";
import { apiError } from "./pulls.js";

export const MERGE_METHODS = ["squash", "merge", "rebase"] as const;
export type MergeMethod = (typeof MERGE_METHODS)[number];

export interface MergeOptions {
  method: MergeMethod;
  /** The head Orchard pushed: a pull request whose head moved since is not merged (someone else pushed). */
  expectedHeadSha?: string;
  commitTitle?: string;
  commitMessage?: string;
  /** How long to wait for mergeability and required checks before reporting. Default 30 minutes. */
  timeoutMs?: number;
  /** Back-off between polls: doubles from `initialMs` up to `maxMs`. Default 1 s → 16 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Merge attempts GitHub refuses with 405/409 that are tried again after a fresh look. Default 3. */
  maxMergeAttempts?: number;
  /** Told what is being waited for (progress, events). */
  onWait?: (reason: string, delayMs: number) => void;
}

export type MergeOutcome =
  | { kind: "merged"; sha: string; alreadyMerged: boolean }
  | { kind: "conflict"; reason: string }
  | { kind: "checks_failed"; reason: string; checks: string[] }
  | { kind: "not_mergeable"; reason: string }
  | { kind: "head_changed"; reason: string }
  | { kind: "timed_out"; reason: string };

/**
 * Waits until GitHub can merge the pull request and merges it: `mergeable` is null while GitHub computes
 * it (polled with back-off), required checks that are pending are waited for, failing ones are reported by
 * name; a 405 or 409 from the merge gets a fresh look and another try, then GitHub's reason is reported.
 * Anything but `merged` leaves the pull request open for people to act on.
 */
export async function mergeWhenReady(
  client: ForgeClient,
  number: number,
  opts: MergeOptions,
): Promise<MergeOutcome> {
  const { octokit, owner, repo } = client;
  const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
  const backoff = opts.backoff ?? { initialMs: 1000, maxMs: 16_000 };
  let delay = backoff.initialMs;
  let attempts = 0;
  const maxAttempts = opts.maxMergeAttempts ?? 3;
  let lastReason = "";
  const wait = async (reason: string): Promise<boolean> => {
    lastReason = reason;
    if (Date.now() + delay > deadline) return false;
    opts.onWait?.(reason, delay);
    await sleep(delay);
    delay = Math.min(delay * 2, backoff.maxMs);
    return true;
  };
  for (;;) {
    const { data: pr } = await octokit.rest.pulls
      .get({ owner, repo, pull_number: number })
      .catch((error: unknown) => {
        throw apiError(error, `reading pull request #${number}`);
      });
    if (pr.merged) return { kind: "merged", sha: pr.merge_commit_sha ?? "", alreadyMerged: true };
    if (pr.state === "closed")
      return { kind: "not_mergeable", reason: `pull request #${number} was closed without merging` };
    if (opts.expectedHeadSha && pr.head.sha !== opts.expectedHeadSha) {
      return {
        kind: "head_changed",
        reason: `the head of #${number} moved to ${pr.head.sha.slice(0, 12)} (Orchard pushed ${opts.expectedHeadSha.slice(0, 12)})`,
      };
    }
    if (pr.mergeable === null) {
      if (await wait("GitHub is computing mergeability")) continue;
      return { kind: "timed_out", reason: `GitHub did not report whether #${number} can merge in time` };
    }
    if (pr.mergeable === false || pr.mergeable_state === "dirty") {
      return {
        kind: "conflict",
        reason: `#${number} has conflicts with ${pr.base.ref} (GitHub: mergeable_state ${pr.mergeable_state})`,
      };
    }
    if (pr.mergeable_state === "blocked" || pr.mergeable_state === "behind") {
      const checks = await readChecks(client, pr.head.sha);
      if (checks.failed.length > 0) {
        return {
          kind: "checks_failed",
          reason: `checks failed on #${number}: ${checks.failed.join(", ")}`,
          checks: checks.failed,
        };
      }
      if (checks.pending.length > 0) {
        if (await wait(`waiting for checks: ${checks.pending.join(", ")}`)) continue;
        return {
          kind: "timed_out",
          reason: `checks still pending on #${number}: ${checks.pending.join(", ")}`,
        };
      }
      // Blocked with every check green: a review or another rule. The merge call below gets GitHub's reason.
    }
    attempts++;
    try {
      const { data } = await octokit.rest.pulls.merge({
        owner,
        repo,
        pull_number: number,
        merge_method: opts.method,
        sha: pr.head.sha,
        ...(opts.commitTitle ? { commit_title: opts.commitTitle } : {}),
        ...(opts.commitMessage ? { commit_message: opts.commitMessage } : {}),
      });
      return { kind: "merged", sha: data.sha, alreadyMerged: false };
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 405 && status !== 409) {
        if (status === 422) return { kind: "not_mergeable", reason: githubReason(error) };
        throw apiError(error, `merging pull request #${number}`);
      }
      const reason = `GitHub refused to merge #${number} (${status}): ${githubReason(error)}`;
      if (attempts >= maxAttempts) return { kind: "not_mergeable", reason };
      if (await wait(reason)) continue;
      return { kind: "not_mergeable", reason: lastReason };
    }
  }
}
