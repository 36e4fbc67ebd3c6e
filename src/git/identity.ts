import type { Git } from "./git.js";

export const ORCHARD_IDENTITY = { name: "Orchard", email: "orchard@localhost" } as const;

/**
 * Env that gives Orchard's own commits an identity when the repository has none (fresh CI machines,
 * containers): without it `git commit` dies with "Please tell me who you are". A configured identity
 * (config, or GIT_AUTHOR_NAME and friends already in our env) always wins; we only fill the gap.
 */
export function fallbackIdentityEnv(git: Git): Promise<Record<string, string>> {
  // Identity is repository configuration, shared by every worktree: looked up once per Git (one run),
  // in one process. It was 4 of the ~24 git processes each task cost (docs/benchmarks.md).
  let env = cache.get(git);
  if (!env) {
    env = lookUp(git);
    cache.set(git, env);
    env.catch(() => cache.delete(git));
  }
  return env;
}

/** Starts the lookup early (a run start does) so that no commit waits for it; never rejects. */
export function prefetchIdentity(git: Git): Promise<void> {
  return fallbackIdentityEnv(git).then(
    () => undefined,
    () => undefined,
  );
}

const cache = new WeakMap<Git, Promise<Record<string, string>>>();

async function lookUp(git: Git): Promise<Record<string, string>> {
  // One process for both keys; exit 1 means neither is set.
  const { stdout } = await git.run(["config", "--get-regexp", "^user\\.(name|email)$"], {
    readOnly: true,
    okExitCodes: [1],
  });
  const found = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0 && line.slice(space + 1).trim() !== "")
      found.set(line.slice(0, space), line.slice(space + 1).trim());
  }
  const name = found.get("user.name");
  const email = found.get("user.email");
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"] as const) {
    if (!name && !process.env[`GIT_${role}_NAME`]) env[`GIT_${role}_NAME`] = ORCHARD_IDENTITY.name;
    if (!email && !process.env[`GIT_${role}_EMAIL`]) env[`GIT_${role}_EMAIL`] = ORCHARD_IDENTITY.email;
  }
  return env;
}
