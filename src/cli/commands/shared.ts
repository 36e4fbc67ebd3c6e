import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { RunResult } from "../../engine/index.js";
import { openRepoStore } from "../../engine/repo-store.js";
import { usageError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { type CliIo, println } from "../io.js";
import { resultLines, summaryTable } from "../progress/summary.js";

export const repoOption = (cmd: Command) =>
  cmd.option("--repo <dir>", "the target repository (default: current directory)");

/** `--repo` (default the current directory), refused with what to fix when it names no directory. */
export function repoDir(io: CliIo, repo: string | undefined): string {
  const dir = resolve(io.cwd, repo ?? ".");
  if (repo !== undefined && !existsSync(dir)) {
    throw usageError(`--repo ${repo}: no such directory (${dir}); give the path of a git repository`);
  }
  return dir;
}

/** Opens the repository's store for one command and closes it afterwards. */
export async function withStore<T>(
  io: CliIo,
  repo: string | undefined,
  fn: (store: Store, repoDir: string) => Promise<T>,
): Promise<T> {
  const dir = repoDir(io, repo);
  const store = await openRepoStore(dir);
  try {
    return await fn(store, dir);
  } finally {
    await store.close();
  }
}

/** The table of a finished run's tasks, with their attempts from the repository's store, and its result lines. */
export async function printRunSummary(
  io: CliIo,
  repo: string,
  result: RunResult,
  tty: boolean,
): Promise<void> {
  const store = await openRepoStore(repo);
  try {
    println(
      io.stdout,
      summaryTable(result.tasks, await store.listAttempts(result.runId), tty, io.stdout.columns),
    );
  } finally {
    await store.close();
  }
  for (const line of resultLines(result)) println(io.stdout, line);
}
