import type { ForgeClient } from "./client.js";
import { ForgeError, githubReason, httpStatus } from "./errors.js";

export interface PullRef {
  number: number;
  url: string;
  headSha: string;
  state: "open" | "merged" | "closed";
  mergeCommit: string | null;
  /** True when this call found it rather than opened it. */
  reused: boolean;
}

export interface OpenPullInput {
  head: string;
  base: string;
  title: string;
  body: string;
  labels?: readonly string[];
}

/**
 * The pull request for `head` → `base`: an open or merged one already there is reused (resume never
 * duplicates), otherwise one is opened and labelled. A 422 "already exists" (someone opened it between
 * our look and our create) is answered by looking again.
 */
export async function ensurePull(client: ForgeClient, input: OpenPullInput): Promise<PullRef> {
  const existing = await findPull(client, input.head, input.base);
  if (existing && existing.state !== "closed") {
    if (existing.state === "open") await addLabels(client, existing.number, input.labels);
    return existing;
  }
  const { octokit, owner, repo } = client;
  try {
    const { data } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: input.head,
      base: input.base,
      title: input.title,
      body: input.body,
    });
    await addLabels(client, data.number, input.labels);
    return {
      number: data.number,
      url: data.html_url,
      headSha: data.head.sha,
      state: "open",
      mergeCommit: null,
      reused: false,
    };
  } catch (error) {
    if (httpStatus(error) === 422 && /already exists/i.test(githubReason(error))) {
      const found = await findPull(client, input.head, input.base);
      if (found) {
        if (found.state === "open") await addLabels(client, found.number, input.labels);
        return found;
      }
    }
    throw apiError(error, `opening a pull request ${input.head} → ${input.base}`);
  }
}

/** The newest pull request from `head` into `base` in any state, or null. */
export async function findPull(client: ForgeClient, head: string, base: string): Promise<PullRef | null> {
  const { octokit, owner, repo } = client;
  try {
    const { data } = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${head}`,
      base,
      state: "all",
      per_page: 10,
    });
    const pulls = [...data].sort((a, b) => b.number - a.number);
    const pick = pulls.find((p) => p.state === "open") ?? pulls.find((p) => p.merged_at) ?? pulls[0];
    if (!pick) return null;
    const state = pick.state === "open" ? "open" : pick.merged_at ? "merged" : "closed";
    return {
      number: pick.number,
      url: pick.html_url,
      headSha: pick.head.sha,
      state,
      mergeCommit: pick.merge_commit_sha ?? null,
      reused: true,
    };
  } catch (error) {
    throw apiError(error, `looking for a pull request from ${head}`);
  }
}

export async function updatePullBody(client: ForgeClient, number: number, body: string): Promise<void> {
  const { octokit, owner, repo } = client;
  await octokit.rest.pulls.update({ owner, repo, pull_number: number, body });
}

async function addLabels(
  client: ForgeClient,
  number: number,
  labels: readonly string[] | undefined,
): Promise<void> {
  if (!labels || labels.length === 0) return;
  const { octokit, owner, repo } = client;
  try {
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: number, labels: [...labels] });
  } catch (error) {
    throw apiError(error, `labelling pull request #${number}`);
  }
}

/** A ForgeError carrying GitHub's reason (the body's message), never the request and its headers. */
export function apiError(error: unknown, doing: string): ForgeError {
  const status = httpStatus(error);
  const code = status === 401 ? "AUTH" : "API";
  const hint =
    status === 401
      ? " (the token was refused: check it has not expired and has the repo scope)"
      : status === 404
        ? " (not found: check the repository and that the token can see it)"
        : "";
  return new ForgeError(
    code,
    `${doing} failed${status ? ` (${status})` : ""}: ${githubReason(error)}${hint}`,
    status,
  );
}
