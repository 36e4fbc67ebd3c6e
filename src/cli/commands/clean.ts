import { resolve } from "node:path";
import { cleanOrchard, ensureRepo } from "../../git/index.js";
import { println } from "../io.js";
import type { RegisterCommand } from "./index.js";
import { repoOption } from "./shared.js";

export const registerClean: RegisterCommand = (program, io) => {
  repoOption(
    program
      .command("clean")
      .description("remove Orchard's worktrees and orchard/* branches (nothing else); run history stays"),
  )
    .option("--json", "print JSON")
    .action(async (flags: { repo?: string; json?: boolean }) => {
      const repo = await ensureRepo(resolve(io.cwd, flags.repo ?? "."));
      const removed = await cleanOrchard(repo);
      if (flags.json) println(io.stdout, JSON.stringify(removed));
      else println(io.stdout, `removed ${JSON.stringify(removed)}`);
    });
};
