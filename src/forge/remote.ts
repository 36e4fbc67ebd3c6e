import { ForgeError } from "./errors.js";

export interface RepoCoordinates {
  owner: string;
  repo: string;
}

export const DEFAULT_API_URL = "https://api.github.com";

/**
 * owner/name from a GitHub remote URL: https://github.com/o/r(.git), git@github.com:o/r.git,
 * ssh://git@host/o/r.git, or an Enterprise host with a path prefix (the last two segments count).
 */
export function parseRemote(url: string): RepoCoordinates {
  const scp = /^[\w.-]+@[\w.-]+:(.+)$/.exec(url);
  let path: string;
  if (scp?.[1] && !url.includes("://")) path = scp[1];
  else {
    try {
      path = new URL(url).pathname;
    } catch {
      throw new ForgeError(
        "REMOTE_INVALID",
        `cannot read a GitHub repository from the remote URL ${redactUrl(url)}: expected https://github.com/<owner>/<repo>.git or git@github.com:<owner>/<repo>.git`,
      );
    }
  }
  const parts = path
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .split("/")
    .filter(Boolean);
  const repo = parts.at(-1);
  const owner = parts.at(-2);
  if (!owner || !repo) {
    throw new ForgeError(
      "REMOTE_INVALID",
      `the remote URL ${redactUrl(url)} names no <owner>/<repo>: point the remote at a GitHub repository`,
    );
  }
  return { owner, repo };
}

/** Drops credentials a user may have written into a remote URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^@/]*@/i, "$1***@");
}

/** Is the remote reached over HTTP(S), where the token is the credential (ssh remotes use the user's keys)? */
export function isHttpRemote(url: string): boolean {
  return /^https?:\/\//i.test(url);
}
