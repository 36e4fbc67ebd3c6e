import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * Readers of git's files, for questions where a wrong answer can only make Orchard ask git instead
 * (invariant 0: Orchard reads what it likes; only git writes into a repository).
 */

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** A full object name (SHA-1 or SHA-256). */
export function isFullSha(text: string): boolean {
  return SHA.test(text);
}

/**
 * Where a `.git` file links its worktree to (`gitdir: <path>`, relative to the file's directory).
 * Null when there is no such file or it says something else; undefined when it cannot be read as a
 * file (a directory: the main checkout's `.git`).
 */
export function linkedGitDir(dotGit: string): string | null | undefined {
  const text = readOrNull(dotGit);
  if (typeof text !== "string") return text;
  const link = /^gitdir: (.+)$/.exec(text)?.[1]?.trim();
  return link ? resolve(dirname(dotGit), link) : null;
}

/** The trimmed text of a file; null when it does not exist, undefined when it cannot be read. */
export function readOrNull(path: string): string | null | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? null : undefined;
  }
}
