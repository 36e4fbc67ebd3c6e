export type MergeTreeResult =
  | { clean: true; tree: string }
  | { clean: false; tree: string; conflicts: string[]; message: string };

/**
 * Pure parser of `git merge-tree --write-tree -z --name-only --messages` (git ≥ 2.38):
 *   <tree>\0  then, on conflict, <path>\0 per conflicted file, \0, then messages, each
 *   <number of paths>\0<path>\0…<conflict type>\0<message>\0
 * Exit code 0 means clean, 1 means conflicts.
 */
export function parseMergeTreeZ(output: string, exitCode: number): MergeTreeResult {
  const nul = output.indexOf("\0");
  const tree = (nul === -1 ? output : output.slice(0, nul)).trim();
  if (!/^[0-9a-f]{40,64}$/.test(tree))
    throw new Error(`unexpected merge-tree output: ${JSON.stringify(output)}`);
  if (exitCode === 0) return { clean: true, tree };

  const rest = output.slice(nul + 1);
  const sectionEnd = rest.indexOf("\0\0");
  const pathPart = sectionEnd === -1 ? rest : rest.slice(0, sectionEnd);
  const conflicts = [...new Set(pathPart.split("\0").filter((p) => p !== ""))];

  const messages: string[] = [];
  if (sectionEnd !== -1) {
    const fields = rest.slice(sectionEnd + 2).split("\0");
    let i = 0;
    while (i < fields.length) {
      const count = Number(fields[i]);
      if (!Number.isInteger(count) || fields[i] === "") break;
      i += 1 + count; // the paths the message is about
      const type = fields[i++] ?? "";
      const text = (fields[i++] ?? "").trimEnd();
      if (type.startsWith("CONFLICT") || !type.startsWith("Auto-merging")) messages.push(text);
    }
  }
  return { clean: false, tree, conflicts, message: messages.join("\n") };
}

/**
 * Takes one answer of `git merge-tree --write-tree -z --name-only --messages --stdin` off the front of
 * `output`: `<1|0>\0`, then what one `merge-tree` would print (tree, conflicted paths, an empty field,
 * messages), then an empty field. Returns null until the whole answer is there.
 */
export function takeMergeTreeRecord(output: string): { result: MergeTreeResult; rest: string } | null {
  // A field with no NUL after it yet is incomplete.
  let at = 0;
  const next = (): string | null => {
    const nul = output.indexOf("\0", at);
    if (nul === -1) return null;
    const field = output.slice(at, nul);
    at = nul + 1;
    return field;
  };
  const status = next();
  const tree = next();
  if (status === null || tree === null) return null;
  if (status !== "0" && status !== "1")
    throw new Error(`unexpected merge-tree --stdin output: ${JSON.stringify(output.slice(0, 200))}`);
  const bodyStart = status.length + 1;
  // Conflicted paths up to an empty field, then messages (a count, that many paths, a type, a text).
  for (let field = next(); field !== ""; field = next()) if (field === null) return null;
  for (let count = next(); count !== ""; count = next()) {
    if (count === null) return null;
    for (let i = 0, n = Number(count) + 2; i < n; i++) if (next() === null) return null;
  }
  const body = output.slice(bodyStart, at - 1);
  return { result: parseMergeTreeZ(body, status === "1" ? 0 : 1), rest: output.slice(at) };
}
