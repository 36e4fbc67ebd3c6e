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
   * format, need shared-repository permissions or an fsync (core.fsync, core.fsyncObjectFiles), or take
   * its dates or object directory from the env.
   */
  writer: { author: Ident; committer: Ident } | null;
  /** No `commit.cleanup` is configured: `git commit -F` would only tidy whitespace (commit.ts). */
  defaultCleanup: boolean;
  /**
   * Work-tree paths are the index's bytes, case and all (no core.ignoreCase, no
   * core.precomposeUnicode), and nothing asks for an fsync: a slot's reset may remove a task's new
   * files in-process (slot-undo.ts).
   */
  plainPaths: boolean;
}

/**
 * Identity and the settings commit writing depends on, looked up once per Git (one run) in one
 * process, `git config --list` (it was 4 of the ~24 git processes each task cost, docs/benchmarks.md).
 * Not `git var`: without a configured email it looks the host's domain name up first.
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
const GIT_WRITES_WHEN_SET = ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_OBJECT_DIRECTORY"];

async function lookUp(git: Git): Promise<RepoIdentity> {
  const { stdout } = await git.run(["config", "--list", "-z"], { readOnly: true, okExitCodes: [1] });
  // `key\nvalue\0` records, keys lower-cased; the last value of a key wins, as for git. A key without a
  // value (`[commit] gpgSign`) is a boolean set to true.
  const config = new Map<string, string>();
  for (const record of stdout.split("\0")) {
    const nl = record.indexOf("\n");
    if (nl > 0) config.set(record.slice(0, nl), record.slice(nl + 1));
    else if (record !== "") config.set(record, "");
  }
  const name = config.get("user.name")?.trim();
  const email = config.get("user.email")?.trim();
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"] as const) {
    if (!name && !process.env[`GIT_${role}_NAME`]) env[`GIT_${role}_NAME`] = ORCHARD_IDENTITY.name;
    if (!email && !process.env[`GIT_${role}_EMAIL`]) env[`GIT_${role}_EMAIL`] = ORCHARD_IDENTITY.email;
  }
  // What git makes of that env and config (ident.c): the env first, then author.* / committer.*, then
  // user.*; with none of them the fallback above is in the env. Null when git would have to guess.
  const ident = (role: "AUTHOR" | "COMMITTER"): Ident | null => {
    const key = role.toLowerCase();
    const pick = (field: "NAME" | "EMAIL") =>
      env[`GIT_${role}_${field}`] ??
      process.env[`GIT_${role}_${field}`] ??
      config.get(`${key}.${field.toLowerCase()}`) ??
      config.get(`user.${field.toLowerCase()}`);
    const found = { name: pick("NAME") ?? "", email: pick("EMAIL") ?? "" };
    return identSafe(found.name) && identSafe(found.email) ? found : null;
  };
  const author = ident("AUTHOR");
  const committer = ident("COMMITTER");
  const encoding = (config.get("i18n.commitencoding") ?? "utf-8").toLowerCase();
  const plain =
    author !== null &&
    committer !== null &&
    !isTrue(config.get("commit.gpgsign")) &&
    (encoding === "utf-8" || encoding === "utf8") &&
    (config.get("extensions.objectformat") ?? "sha1").toLowerCase() === "sha1" &&
    !config.has("core.sharedrepository") &&
    // Asked to fsync objects: git does that, Orchard's writer does not.
    !config.has("core.fsync") &&
    !isTrue(config.get("core.fsyncobjectfiles")) &&
    !GIT_WRITES_WHEN_SET.some((key) => process.env[key] !== undefined);
  const plainPaths =
    !isTrue(config.get("core.ignorecase")) &&
    !isTrue(config.get("core.precomposeunicode")) &&
    !config.has("core.fsync") &&
    process.env.GIT_INDEX_FILE === undefined &&
    process.env.GIT_WORK_TREE === undefined;
  return {
    env,
    writer: plain ? { author, committer } : null,
    defaultCleanup: !config.has("commit.cleanup"),
    plainPaths,
  };
}

/**
 * True when git would write `text` into an ident as it is. git trims "crud" from both ends and drops
 * line breaks and angle brackets (ident.c, `strbuf_addstr_without_crud`), and which characters count
 * as crud has changed between versions (a trailing "." is trimmed by 2.39): an ident that needs any of
 * that is left for git to write.
 */
export function identSafe(text: string): boolean {
  const crud = (c: number) => c <= 32 || ",:;<>\"\\'.".includes(String.fromCharCode(c));
  return (
    text !== "" &&
    !crud(text.charCodeAt(0)) &&
    !crud(text.charCodeAt(text.length - 1)) &&
    !/[\n<>]/.test(text)
  );
}

/** git's boolean config: an absent value means true, as do yes/on/true/1. */
function isTrue(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  return v === "" || v === "true" || v === "yes" || v === "on" || (/^-?\d+$/.test(v) && Number(v) !== 0);
}
