import type { Text } from "mdast";
import { lineEndOf } from "./lines.js";

type Point = NonNullable<Text["position"]>["start"];

/**
 * Maps offsets in commonmark's inline "subject" (a paragraph's or heading's text with container markers
 * and each line's indentation removed, then trimmed) back to the plan text. Each subject line comes from
 * one source line, in order, and is the end of that line (its last line also loses trailing spaces), so
 * lines are aligned at their ends; the last by searching for it in its source line.
 */
export class SubjectMap {
  /** Where each subject line starts in the subject. */
  private readonly from: number[] = [0];
  /** Where each subject line starts in the text. */
  private readonly base: number[] = [];

  constructor(
    subject: string,
    private readonly firstLine: number,
    private readonly text: string,
    private readonly starts: number[],
  ) {
    for (let i = subject.indexOf("\n"); i >= 0; i = subject.indexOf("\n", i + 1)) this.from.push(i + 1);
    const last = this.from.length - 1;
    for (let k = 0; k <= last; k++) {
      const line = firstLine + k;
      const lineStart = starts[line - 1] ?? text.length;
      const lineEnd = lineEndOf(text, starts, line);
      const to = k < last ? this.from[k + 1]! - 1 : subject.length;
      const len = to - this.from[k]!;
      let at = lineEnd - len;
      if (k === last && len > 0) {
        const found = text.lastIndexOf(subject.slice(this.from[k]!, to), lineEnd - len);
        if (found >= lineStart) at = found;
      }
      this.base.push(Math.max(lineStart, at));
    }
  }

  point(at: number): Point {
    const k = this.lineOf(at);
    const line = this.firstLine + k;
    const lineStart = this.starts[line - 1] ?? this.text.length;
    const offset = Math.min(this.base[k]! + at - this.from[k]!, lineEndOf(this.text, this.starts, line));
    return { line, column: offset - lineStart + 1, offset };
  }

  /** Where a node that ends at `at` ends: mdast ends a node whose last character is a line ending
   * at the start of the next line, before its indentation. */
  end(at: number): Point {
    const k = this.lineOf(at);
    if (k === 0 || this.from[k] !== at) return this.point(at);
    const line = this.firstLine + k;
    return { line, column: 1, offset: this.starts[line - 1] ?? this.text.length };
  }

  private lineOf(at: number): number {
    let k = this.from.length - 1;
    while (k > 0 && this.from[k]! > at) k--;
    return k;
  }
}
