/**
 * The environment every git child gets. Pinned so output is parseable (C locale), nothing ever waits on a
 * terminal (no prompt, no pager, no editor). ssh cannot prompt either: the child runs in its own session
 * (detached) with no controlling terminal.
 */
export const PINNED_GIT_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  LANGUAGE: "C",
  LANG: "C",
  GIT_PAGER: "cat",
  PAGER: "cat",
  GIT_EDITOR: "true",
  GIT_SEQUENCE_EDITOR: "true",
  GIT_MERGE_AUTOEDIT: "no",
};

/**
 * For reads: `git status` and friends otherwise refresh and rewrite the index opportunistically, which
 * takes index.lock and clashes with the writers in other worktrees of the same repository.
 */
export const READ_ONLY_GIT_ENV: Readonly<Record<string, string>> = { GIT_OPTIONAL_LOCKS: "0" };

/** Variables that would make a child git talk to a different repository than the one we name. */
export const UNSET_GIT_ENV = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX"];

export function gitEnv(extra?: Record<string, string>): Record<string, string> {
  return { ...inherited(), ...PINNED_GIT_ENV, ...extra };
}

let snapshot: { keys: string; env: Record<string, string> } | null = null;

/**
 * Our environment minus what would redirect git. Reading all of process.env (a getter per variable) on
 * every git call cost more main-thread time than anything else on a task's path but SQLite and file
 * renames (docs/benchmarks.md), so it is copied once and again only when the set of names changes.
 */
function inherited(): Record<string, string> {
  const keys = Object.keys(process.env).join("\0");
  if (snapshot?.keys !== keys) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !UNSET_GIT_ENV.includes(key)) env[key] = value;
    }
    snapshot = { keys, env };
  }
  return snapshot.env;
}
