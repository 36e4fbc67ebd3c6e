import type { Git } from "./git.js";

export const ORCHARD_IDENTITY = { name: "Orchard", email: "orchard@localhost" } as const;

/**
 * Env that gives Orchard's own commits an identity when the repository has none (fresh CI machines,
 * containers): without it `git commit` dies with "Please tell me who you are". A configured identity
 * (config, or GIT_AUTHOR_NAME and friends already in our env) always wins; we only fill the gap.
 */
export function fallbackIdentityEnv(git: Git, cwd?: string): Promise<Record<string, string>> {
  // Identity is repository configuration, shared by every worktree: looked up once per Git and
  // directory. It was 4 of the ~24 git processes each task cost (docs/benchmarks.md).
  const key = cwd ?? "";
  let perGit = cache.get(git);
  if (!perGit) {
    perGit = new Map();
    cache.set(git, perGit);
  }
  let env = perGit.get(key);
  if (!env) {
    env = lookUp(git, cwd);
    perGit.set(key, env);
    const entries = perGit;
    env.catch(() => entries.delete(key));
  }
  return env;
}

const cache = new WeakMap<Git, Map<string, Promise<Record<string, string>>>>();

async function lookUp(git: Git, cwd?: string): Promise<Record<string, string>> {
  const get = async (key: string): Promise<string | null> => {
    const { stdout, exitCode } = await git.run(["config", "--get", key], {
      readOnly: true,
      okExitCodes: [1],
      ...(cwd === undefined ? {} : { cwd }),
    });
    return exitCode === 0 && stdout.trim() !== "" ? stdout.trim() : null;
  };
  const [name, email] = await Promise.all([get("user.name"), get("user.email")]);
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"] as const) {
    if (!name && !process.env[`GIT_${role}_NAME`]) env[`GIT_${role}_NAME`] = ORCHARD_IDENTITY.name;
    if (!email && !process.env[`GIT_${role}_EMAIL`]) env[`GIT_${role}_EMAIL`] = ORCHARD_IDENTITY.email;
  }
  return env;
}
