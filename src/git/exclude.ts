import { join } from "node:path";
import { Git } from "./git.js";
import { excludeFromStatus } from "./pool-dir.js";
import { ensureRepo } from "./repo.js";

/** Keeps `<repo>/.orchard/` (store, logs, pool) out of the user's `git status`; returns the repo's top level. */
export async function excludeOrchardDir(repoDir: string): Promise<string> {
  const top = await ensureRepo(repoDir);
  await excludeFromStatus(new Git(top), top, join(top, ".orchard"));
  return top;
}
