import { resolve } from "node:path";
import type { Command } from "commander";
import type { RunResult } from "../../engine/index.js";
import { openRepoStore } from "../../engine/repo-store.js";
import type { Store } from "../../store/types.js";
import { type CliIo, println } from "../io.js";
import { resultLines, summaryTable } from "../progress/summary.js";

export const repoOption = (cmd: Command) =>
  cmd.option("--repo <dir>", "the target repository (default: current directory)");

/** Opens the repository's store for one command and closes it afterwards. */
export async function withStore<T>(
  io: CliIo,
  repo: string | undefined,
  fn: (store: Store, repoDir: string) => Promise<T>,
): Promise<T> {
  const repoDir = resolve(io.cwd, repo ?? ".");
  const store = await openRepoStore(repoDir);
  try {
    return await fn(store, repoDir);
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
