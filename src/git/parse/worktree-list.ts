/** One record of `git worktree list --porcelain -z`. */
export interface WorktreeEntry {
  path: string;
  /** null for a bare repository or a worktree on an unborn branch. */
  head: string | null;
  /** Full ref name (`refs/heads/…`) or null when detached. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  /** The lock reason ("" when locked without one), or null. */
  locked: string | null;
  /** Why `worktree prune` would remove it ("" without a reason), or null. */
  prunable: string | null;
}

/**
 * Pure parser: attributes are `label[ value]\0`, a record ends with an empty field (`\0\0`).
 * Unknown labels are ignored so newer gits do not break us.
 */
export function parseWorktreeListZ(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  for (const field of output.split("\0")) {
    if (field === "") {
      if (current) entries.push(current);
      current = null;
      continue;
    }
    const space = field.indexOf(" ");
    const label = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? "" : field.slice(space + 1);
    if (label === "worktree") {
      if (current) entries.push(current);
      current = {
        path: value,
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: null,
        prunable: null,
      };
      continue;
    }
    if (!current) continue;
    if (label === "HEAD") current.head = value;
    else if (label === "branch") current.branch = value;
    else if (label === "bare") current.bare = true;
    else if (label === "detached") current.detached = true;
    else if (label === "locked") current.locked = value;
    else if (label === "prunable") current.prunable = value;
  }
  if (current) entries.push(current);
  return entries;
}
