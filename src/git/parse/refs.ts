export interface RefEntry {
  ref: string;
  sha: string;
}

/** Pure parser of `for-each-ref --format=%(refname)%00%(objectname)`: one `ref\0sha\n` per line. */
export function parseRefList(output: string): RefEntry[] {
  const entries: RefEntry[] = [];
  for (const line of output.split("\n")) {
    if (line === "") continue;
    const nul = line.indexOf("\0");
    if (nul === -1) throw new Error(`unexpected for-each-ref line: ${JSON.stringify(line)}`);
    entries.push({ ref: line.slice(0, nul), sha: line.slice(nul + 1) });
  }
  return entries;
}
