import type { Git } from "./git.js";

export const ORCHARD_IDENTITY = { name: "Orchard", email: "orchard@localhost" } as const;

/**
 * Env that gives Orchard's own commits an identity when the repository has none (fresh CI machines,
 * containers): without it `git commit` dies with "Please tell me who you are". A configured identity
 * (config, or GIT_AUTHOR_NAME and friends already in our env) always wins; we only fill the gap.
 */
export async function fallbackIdentityEnv(git: Git): Promise<Record<string, string>> {
  return (await repoIdentity(git)).env;
}

/** Who git would name as author and committer (with the fallback above applied). */
export interface Ident {
  name: string;
  email: string;
}

export interface RepoIdentity {
  /** Env for Orchard's own git commits (see fallbackIdentityEnv). */
  env: Record<string, string>;
  /**
   * Author and committer for commit objects Orchard writes itself (objects.ts), or null when git must
   * write them: the commit would be signed (commit.gpgSign), carry another encoding, use another object
   * format, need shared-repository permissions, or take its dates or object directory from the env.
   */
  writer: { author: Ident; committer: Ident } | null;
}

/**
 * Identity and the settings commit writing depends on, looked up once per Git (one run) in one
 * process, `git var -l` (config and both idents). It was 4 of the ~24 git processes each task cost
 * (docs/benchmarks.md).
 */
export function repoIdentity(git: Git): Promise<RepoIdentity> {
  let found = cache.get(git);
  if (!found) {
    found = lookUp(git);
    cache.set(git, found);
    found.catch(() => cache.delete(git));
  }
  return found;
}

/** Starts the lookup early (a run start does) so that no commit waits for it; never rejects. */
export function prefetchIdentity(git: Git): Promise<void> {
  return repoIdentity(git).then(
    () => undefined,
    () => undefined,
  );
}

const cache = new WeakMap<Git, Promise<RepoIdentity>>();

/** Env that decides what a commit object holds or where it goes: with any of them set, git writes. */
const GIT_WRITES_WHEN_SET = ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_OBJECT_DIRECTORY", "GIT_DIR"];

async function lookUp(git: Git): Promise<RepoIdentity> {
  const { stdout } = await git.run(["var", "-l"], { readOnly: true });
  // `key=value` lines: config (keys lower-cased, the last value wins) and the GIT_*_IDENT variables.
  const found = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const eq = line.indexOf("=");
    // A config key without "=" is a boolean set to true (`[commit] gpgSign`).
    if (eq > 0) found.set(line.slice(0, eq), line.slice(eq + 1).trim());
    else if (line.trim() !== "") found.set(line.trim(), "");
  }
  const name = found.get("user.name");
  const email = found.get("user.email");
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"] as const) {
    if (!name && !process.env[`GIT_${role}_NAME`]) env[`GIT_${role}_NAME`] = ORCHARD_IDENTITY.name;
    if (!email && !process.env[`GIT_${role}_EMAIL`]) env[`GIT_${role}_EMAIL`] = ORCHARD_IDENTITY.email;
  }
  const ident = (role: "AUTHOR" | "COMMITTER"): Ident | null => {
    const m = /^(.*) <([^<>]*)> \d+ [+-]\d{4}$/.exec(found.get(`GIT_${role}_IDENT`) ?? "");
    if (!m) return null;
    return { name: env[`GIT_${role}_NAME`] ?? m[1]!, email: env[`GIT_${role}_EMAIL`] ?? m[2]! };
  };
  const author = ident("AUTHOR");
  const committer = ident("COMMITTER");
  const encoding = (found.get("i18n.commitencoding") ?? "utf-8").toLowerCase();
  const plain =
    author !== null &&
    committer !== null &&
    !isTrue(found.get("commit.gpgsign")) &&
    (encoding === "utf-8" || encoding === "utf8") &&
    (found.get("extensions.objectformat") ?? "sha1").toLowerCase() === "sha1" &&
    !found.has("core.sharedrepository") &&
    !GIT_WRITES_WHEN_SET.some((key) => process.env[key] !== undefined);
  return { env, writer: plain ? { author, committer } : null };
}

/** git's boolean config: an absent value means true, as do yes/on/true/1. */
function isTrue(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  return v === "" || v === "true" || v === "yes" || v === "on" || (/^-?\d+$/.test(v) && Number(v) !== 0);
}
