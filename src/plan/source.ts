import type { Node } from "mdast";
import { lineEndOf, lineStarts } from "./lines.js";
import type { SourcePos } from "./types.js";

/** The plan text with a line table, so sections and field values can be sliced by position. */
export class Source {
  /** Where each line starts; the markdown parser numbers lines the same way. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = lineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset of the first character of a 1-based line (clamped to the text). */
  lineStart(line: number): number {
    const i = Math.min(Math.max(line, 1), this.lineStarts.length) - 1;
    return this.lineStarts[i] ?? 0;
  }

  /** Offset just past the last character of a 1-based line, before its line ending. */
  lineEnd(line: number): number {
    return lineEndOf(this.text, this.lineStarts, Math.min(Math.max(line, 1), this.lineStarts.length));
  }

  slice(from: number, to: number): string {
    return this.text.slice(from, to);
  }

  /** The source text of a node, or of a run of sibling nodes from `first` to `last`. */
  of(first: Node, last: Node = first): string {
    return this.text.slice(startOffset(first), endOffset(last));
  }
}

export const startOffset = (n: Node): number => n.position?.start.offset ?? 0;
export const endOffset = (n: Node): number => n.position?.end.offset ?? 0;

export const posOf = (n: Node): SourcePos => ({
  line: n.position?.start.line ?? 1,
  column: n.position?.start.column ?? 1,
});
