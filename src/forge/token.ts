import { runBuffered } from "../spawner/index.js";

export interface TokenSource {
  token: string;
  /** Where it came from, for messages: never the token itself. */
  from: "GITHUB_TOKEN" | "GH_TOKEN" | "gh auth token";
}

/**
 * The GitHub token: `GITHUB_TOKEN`, then `GH_TOKEN`, then `gh auth token` when the gh CLI is installed
 * and logged in. Null when none is found; the caller says what to set.
 */
export async function resolveToken(
  env: NodeJS.ProcessEnv = process.env,
  opts: { ghHost?: string; timeoutMs?: number } = {},
): Promise<TokenSource | null> {
  for (const name of ["GITHUB_TOKEN", "GH_TOKEN"] as const) {
    const value = env[name]?.trim();
    if (value) return { token: value, from: name };
  }
  const args = ["auth", "token", ...(opts.ghHost ? ["--hostname", opts.ghHost] : [])];
  try {
    const result = await runBuffered("gh", args, {
      cwd: process.cwd(),
      env: { ...stringEnv(env), GH_PROMPT_DISABLED: "1", NO_COLOR: "1" },
      timeoutMs: opts.timeoutMs ?? 10_000,
    });
    const token = result.exitCode === 0 ? result.stdout.trim() : "";
    return token ? { token, from: "gh auth token" } : null;
  } catch {
    return null;
  }
}

export const MISSING_TOKEN_MESSAGE =
  "landing with pull requests needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN), or log in with `gh auth login`. It needs the repo scope (classic) or Contents and Pull requests read/write (fine-grained).";

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
