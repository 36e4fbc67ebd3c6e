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
  /** Where each subject line starts in the subject (subject lines after the first only). */
  private readonly from: number[] = [];
  /** Where each subject line starts in the text; `base0` for the first, which most subjects are alone on. */
  private readonly base: number[] = [];
  private readonly base0: number;

  constructor(
    subject: string,
    private readonly firstLine: number,
    private readonly text: string,
    private readonly starts: number[],
  ) {
    for (let i = subject.indexOf("\n"); i >= 0; i = subject.indexOf("\n", i + 1)) this.from.push(i + 1);
    const last = this.from.length;
    let base0 = 0;
    for (let k = 0; k <= last; k++) {
      const line = firstLine + k;
      const lineStart = starts[line - 1] ?? text.length;
      const lineEnd = lineEndOf(text, starts, line);
      const from = this.fromOf(k);
      const to = k < last ? this.fromOf(k + 1) - 1 : subject.length;
      const len = to - from;
      let at = lineEnd - len;
      if (k === last && len > 0 && !sameAt(text, at, subject, from, len)) {
        const found = text.lastIndexOf(subject.slice(from, to), lineEnd - len);
        if (found >= lineStart) at = found;
      }
      if (k === 0) base0 = Math.max(lineStart, at);
      else this.base.push(Math.max(lineStart, at));
    }
    this.base0 = base0;
  }

  point(at: number): Point {
    const k = this.lineOf(at);
    const line = this.firstLine + k;
    const lineStart = this.starts[line - 1] ?? this.text.length;
    const base = k === 0 ? this.base0 : this.base[k - 1]!;
    const offset = Math.min(base + at - this.fromOf(k), lineEndOf(this.text, this.starts, line));
    return { line, column: offset - lineStart + 1, offset };
  }

  /** Where a node that ends at `at` ends: mdast ends a node whose last character is a line ending
   * at the start of the next line, before its indentation. */
  end(at: number): Point {
    const k = this.lineOf(at);
    if (k === 0 || this.fromOf(k) !== at) return this.point(at);
    const line = this.firstLine + k;
    return { line, column: 1, offset: this.starts[line - 1] ?? this.text.length };
  }

  private fromOf(k: number): number {
    return k === 0 ? 0 : this.from[k - 1]!;
  }

  private lineOf(at: number): number {
    let k = this.from.length;
    while (k > 0 && this.from[k - 1]! > at) k--;
    return k;
  }
}

/** True when `text` holds `subject`'s `len` characters from `from` at `at` (without slicing either). */
function sameAt(text: string, at: number, subject: string, from: number, len: number): boolean {
  if (at < 0) return false;
  for (let i = 0; i < len; i++) if (text.charCodeAt(at + i) !== subject.charCodeAt(from + i)) return false;
  return true;
}
