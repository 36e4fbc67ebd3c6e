import { mkdirSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import type { Git } from "./git.js";
import { commonGitDir } from "./repo.js";

export const DEFAULT_POOL_DIR = join(".orchard", "worktrees");
/** Pools beside the default one (`worktrees-2` …), for runs that start while another process runs. */
export const EXTRA_POOLS = [2, 3, 4, 5, 6, 7, 8, 9];

/** The directories of the pools beside `base`, in the order a run looks for a free one. */
export const extraPoolDirs = (base: string): string[] => EXTRA_POOLS.map((n) => `${base}-${n}`);

/**
 * Creates the pool directory and returns its real path (git reports worktree paths resolved). Real paths
 * here are asked synchronously: a few tiny lookups at a run's start, cheaper than thread-pool round trips.
 */
export async function preparePoolDir(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  return realpathSync.native(dir);
}

/** True when `child` lies strictly below `parent`. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The pool directory is emptied with `rm -rf`; it must never be (or contain) the user's work tree or
 * git directory, whatever a configuration says.
 */
export async function assertSafePoolDir(git: Git, toplevel: string, poolDir: string): Promise<void> {
  const top = realpathSync.native(toplevel);
  const gitDir = realpathSync.native(await commonGitDir(git));
  for (const precious of [top, gitDir]) {
    if (poolDir === precious || isInside(poolDir, precious) || isInside(gitDir, poolDir)) {
      throw new Error(`refusing to use ${poolDir} as Orchard's worktree pool: it holds ${precious}`);
    }
  }
}

/**
 * Keeps the pool out of the user's `git status` through the repository's own `.git/info/exclude`, never
 * their `.gitignore`. The whole `.orchard/` goes: the store's files live there too.
 */
export async function excludeFromStatus(git: Git, toplevel: string, poolDir: string): Promise<void> {
  const top = realpathSync.native(toplevel);
  if (!isInside(top, poolDir)) return;
  const rel = relative(top, poolDir).split(sep);
  const pattern = rel[0] === ".orchard" ? "/.orchard/" : `/${rel.join("/")}/`;
  const infoDir = join(await commonGitDir(git), "info");
  const file = join(infoDir, "exclude");
  // Read synchronously (a small file, on the way to the first agent); written, once, asynchronously.
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // No exclude file yet.
  }
  if (current.split("\n").some((line) => line.trim() === pattern)) return;
  await mkdir(infoDir, { recursive: true });
  const prefix = current === "" || current.endsWith("\n") ? "" : "\n";
  await writeFile(file, `${current}${prefix}# Orchard's worktree pool and state\n${pattern}\n`);
}
