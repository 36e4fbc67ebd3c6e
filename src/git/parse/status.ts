/** One entry of `git status --porcelain=v1 -z`. */
export interface StatusEntry {
  /** Index status letter (` `, M, A, D, R, C, U, ?, !). */
  x: string;
  /** Work-tree status letter. */
  y: string;
  path: string;
  /** For renames and copies: the path it came from. */
  origPath?: string;
}

/**
 * Pure parser of `status --porcelain=v1 -z`: entries are `XY <path>\0`, and renames/copies are followed by
 * `<orig path>\0`. With -z paths are never quoted, so spaces, unicode and newlines come through verbatim.
 */
export function parseStatusPorcelainZ(output: string): StatusEntry[] {
  const fields = output.split("\0");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field === "") continue;
    if (field.length < 4 || field[2] !== " ")
      throw new Error(`unexpected status entry: ${JSON.stringify(field)}`);
    const x = field[0]!;
    const y = field[1]!;
    const entry: StatusEntry = { x, y, path: field.slice(3) };
    if (x === "R" || x === "C" || y === "R" || y === "C") {
      i++;
      entry.origPath = fields[i] ?? "";
    }
    entries.push(entry);
  }
  return entries;
}
