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
