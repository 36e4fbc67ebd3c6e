/**
 * Offsets where each line starts. Lines end at `\r\n`, `\n` or a lone `\r`, as CommonMark (and micromark)
 * count them, so line numbers from the markdown parser index this table directly.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf("\r") < 0) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Offset just past the last character of 1-based `line`, before its line ending. */
export function lineEndOf(text: string, starts: number[], line: number): number {
  if (line >= starts.length) return text.length;
  let end = starts[line]! - 1;
  if (text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13) end--;
  return end;
}
