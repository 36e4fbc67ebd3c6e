import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadRun, openRepoStore } from "../../engine/index.js";
import { ensureRepo, Git } from "../../git/index.js";
import { loadPlan } from "../../plan/index.js";

// What `orchard run` and `resume` say on stderr before they start, when the user should know it.

/**
 * A word before a resume whose plan file no longer says what the run recorded: a resume runs the plan
 * as it was when the run started (the store keeps it), not the edited file, which a user who fixed a
 * task's text and resumed would otherwise not know. Silent when the file is gone or anything fails:
 * the resume itself says what is wrong.
 */
export async function planChangedNote(repo: string, runId: string): Promise<string | null> {
  try {
    const store = await openRepoStore(repo);
    const run = await loadRun(store, runId).finally(() => store.close());
    if (!run.planPath || !existsSync(run.planPath)) return null;
    // A file that no longer parses has changed too.
    const now = await loadPlan(run.planPath).then(JSON.stringify, () => null);
    if (now === run.planJson) return null;
    return `note: ${run.planPath} has changed since run ${run.id} started; resume runs the plan as it was then (start a new run with \`orchard run\` for the changed plan)`;
  } catch {
    return null;
  }
}

/**
 * A word before a run on a repository with submodules: Orchard's worktrees do not check them out, so an
 * agent sees their directories empty, and what it changed inside one is not part of the task's commit.
 * No git process unless the checkout has a `.gitmodules`; then the commit the run starts from is read.
 * Silent on error: the run's own checks say what is wrong with the repository.
 */
export async function submoduleNote(repo: string, base: string): Promise<string | null> {
  const top = await ensureRepo(repo).catch(() => null);
  if (!top || !existsSync(join(top, ".gitmodules"))) return null;
  const found = await new Git(top)
    .run(["config", "--blob", `${base}:.gitmodules`, "--get-regexp", "^submodule\\..*\\.path$"], {
      cwd: top,
      readOnly: true,
    })
    .catch(() => null);
  const paths = (found?.stdout ?? "")
    .split("\n")
    .map((line) => line.slice(line.indexOf(" ") + 1).trim())
    .filter((path) => path !== "");
  if (paths.length === 0) return null;
  const named = paths.length > 3 ? `${paths.slice(0, 3).join(", ")} …` : paths.join(", ");
  return `note: this repository has submodules (${named}); Orchard's worktrees do not check them out, so the agents see those directories empty and changes inside them are not committed`;
}

/**
 * A word before a run that starts from HEAD while tracked files in the checkout have changes: the
 * agents work from commits and will not see them. Read without taking the index lock or refreshing
 * the index (`--no-optional-locks`): the user's checkout is not Orchard's to write. Silent on error:
 * the run's own checks say what is wrong with the repository.
 */
export async function uncommittedNote(repo: string): Promise<string | null> {
  const status = await new Git(repo)
    .run(["--no-optional-locks", "status", "--porcelain", "--untracked-files=no"], { cwd: repo })
    .catch(() => null);
  const files = status?.stdout.split("\n").filter((line) => line.trim() !== "").length ?? 0;
  if (files === 0) return null;
  return `note: ${files === 1 ? "1 tracked file has" : `${files} tracked files have`} uncommitted changes in your checkout; the run starts from HEAD without them (commit them first if the agents should see them, or pass --base)`;
}
