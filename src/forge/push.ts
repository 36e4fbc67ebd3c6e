import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Git, isGitError } from "../git/index.js";
import { ForgeError } from "./errors.js";
import { redactUrl } from "./remote.js";

/**
 * git asks this program for credentials (GIT_ASKPASS). It holds no secret: it prints the token from its
 * environment, so the token reaches git through the environment only, never argv, a file or a config.
 */
const ASKPASS = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "x-access-token" ;;
  *) printf '%s\\n' "$ORCHARD_GIT_TOKEN" ;;
esac
`;

let askpassPath: Promise<string> | null = null;

function askpass(): Promise<string> {
  askpassPath ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "orchard-askpass-"));
    const path = join(dir, "askpass.sh");
    await writeFile(path, ASKPASS, { mode: 0o700 });
    await chmod(path, 0o700);
    return path;
  })();
  return askpassPath;
}

/**
 * The environment and `-c` switches that make git authenticate with `token` and nothing else: the user's
 * credential helpers are cleared for this call so a stale stored password is never tried first.
 */
async function authenticated(
  token: string | undefined,
): Promise<{ config: string[]; env: Record<string, string> }> {
  if (!token) return { config: [], env: {} };
  return {
    config: ["-c", "credential.helper="],
    env: { GIT_ASKPASS: await askpass(), ORCHARD_GIT_TOKEN: token },
  };
}

export interface PushInput {
  /** A remote name (`origin`) or URL. */
  remote: string;
  commit: string;
  /** The branch on the remote, without `refs/heads/`. */
  branch: string;
  /**
   * Force-with-lease: the commit the remote branch must be at for the push to replace it, or null when it
   * must not exist yet. Without it the push is a plain fast-forward.
   */
  lease?: string | null;
  /** Replace whatever the branch holds (Orchard's own branches only, when no lease is known). */
  force?: boolean;
  token?: string;
}

/** Pushes `commit` to `branch` on the remote; a lost lease is LEASE_LOST, refused credentials AUTH. */
export async function pushBranch(git: Git, input: PushInput): Promise<void> {
  const { config, env } = await authenticated(input.token);
  const ref = `refs/heads/${input.branch}`;
  const lease = input.lease === undefined ? [] : [`--force-with-lease=${ref}:${input.lease ?? ""}`];
  try {
    await git.run(
      [
        ...config,
        "push",
        "--no-verify",
        ...lease,
        input.remote,
        `${input.force ? "+" : ""}${input.commit}:${ref}`,
      ],
      {
        env,
      },
    );
  } catch (error) {
    throw classifyPush(error, `pushing ${input.branch} to ${redactUrl(input.remote)}`);
  }
}

/** Fetches `branch` from the remote into `localRef` (under refs/heads/orchard/) and returns its commit. */
export async function fetchBranch(
  git: Git,
  input: { remote: string; branch: string; localRef: string; token?: string },
): Promise<string> {
  const { config, env } = await authenticated(input.token);
  try {
    await git.run(
      [
        ...config,
        "fetch",
        "--no-tags",
        "--no-write-fetch-head",
        input.remote,
        `+refs/heads/${input.branch}:${input.localRef}`,
      ],
      { env },
    );
  } catch (error) {
    throw classifyPush(error, `fetching ${input.branch} from ${redactUrl(input.remote)}`);
  }
  const { stdout } = await git.run(["rev-parse", "--verify", `${input.localRef}^{commit}`], {
    readOnly: true,
  });
  return stdout.trim();
}

function classifyPush(error: unknown, doing: string): ForgeError {
  if (!isGitError(error)) return new ForgeError("PUSH_FAILED", `${doing} failed: ${String(error)}`);
  const text = `${error.stderr}`;
  const firstLine = text.split("\n").find((l) => l.trim() !== "") ?? "";
  if (/stale info|fetch first|non-fast-forward/.test(text) && /rejected/.test(text)) {
    return new ForgeError(
      "LEASE_LOST",
      `${doing} was refused: the branch on the remote is not where Orchard left it (${firstLine.trim()})`,
    );
  }
  if (/Authentication failed|could not read (Username|Password)|401|403/.test(text)) {
    return new ForgeError(
      "AUTH",
      `${doing} failed: the remote refused the credentials; check the token and its scopes (repo, or Contents: write)`,
    );
  }
  return new ForgeError("PUSH_FAILED", `${doing} failed: ${firstLine.trim()}`);
}
