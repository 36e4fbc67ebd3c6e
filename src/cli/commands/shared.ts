import { resolve } from "node:path";
import type { Command } from "commander";
import { openRepoStore } from "../../engine/index.js";
import type { Store } from "../../store/types.js";
import type { CliIo } from "../io.js";

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
