import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { assertNotLive, openRepoStore } from "../../engine/index.js";
import { cleanOrchard, ensureRepo } from "../../git/index.js";
import { sqliteStoreFile } from "../../store/index.js";
import { println } from "../io.js";
import type { RegisterCommand } from "./index.js";
import { repoOption } from "./shared.js";

/**
 * Refuses while a run is executing here: its agents work in the worktrees clean removes, and its
 * integration branch is among the branches it deletes.
 */
async function assertNoLiveRun(repo: string): Promise<void> {
  // No store, no run: nothing to open (opening would create one).
  if (!existsSync(sqliteStoreFile(repo))) return;
  const store = await openRepoStore(repo);
  try {
    for (const run of await store.listRuns()) {
      if (run.status !== "running") continue;
      await assertNotLive(
        store,
        run,
        `its agents work in the worktrees \`orchard clean\` removes. Stop it first (Ctrl-C in its terminal, or \`orchard cancel ${run.id}\`), then clean`,
      );
    }
  } finally {
    await store.close();
  }
}

export const registerClean: RegisterCommand = (program, io) => {
  repoOption(
    program
      .command("clean")
      .description("remove Orchard's worktrees and orchard/* branches (nothing else); run history stays"),
  )
    .option("--json", "print JSON")
    .action(async (flags: { repo?: string; json?: boolean }) => {
      const repo = await ensureRepo(resolve(io.cwd, flags.repo ?? "."));
      await assertNoLiveRun(repo);
      const removed = await cleanOrchard(repo);
      if (flags.json) println(io.stdout, JSON.stringify(removed));
      else println(io.stdout, `removed ${JSON.stringify(removed)}`);
    });
};
