import { Node, Parser } from "commonmark";
import { PlanError } from "./errors.js";
import { trackInlinePositions } from "./inline.js";
import { checkLine } from "./limits.js";
import { lineEndOf } from "./lines.js";

/** The parts of commonmark.js 0.31.2's Parser that `LineParser` drives (see blocks.js `parse`). */
interface Internals {
  doc: Node;
  tip: Node | null;
  refmap: Record<string, unknown>;
  lineNumber: number;
  lastLineLength: number;
  offset: number;
  column: number;
  lastMatchedContainer: Node;
  currentLine: string;
  incorporateLine(line: string): void;
  finalize(block: Node, lineNumber: number): void;
  blocks: Record<string, { finalize(parser: unknown, block: Node): void }>;
  inlineParser: {
    subject: string;
    pos: number;
    match(re: RegExp): string | null;
    refmap: Record<string, unknown>;
    options: unknown;
    parse(block: Node): void;
    parseReference(s: string, refmap: Record<string, unknown>): number;
  };
  options: unknown;
}

type Raw = Node & { _string_content: string | null };

/**
 * One commonmark.js parser, reused, that reads lines of a text in place: Parser.parse does the same steps
 * (incorporate each line, close the open blocks, parse inlines), but it first splits its input with a
 * regular expression, and walks the tree twice with a walker that allocates an event per node visited.
 * Here the lines come from the line table the plan already has, and both walks are plain recursion, in
 * the same order. Measured on the 10,000-task benchmark plans: about a tenth of commonmark's allocation.
 */
export class LineParser {
  private readonly p: Internals;

  /**
   * `fieldsEndBlocks`: a `**Name:**` line at column 0 closes an open list or quote instead of continuing
   * its paragraph lazily, as CommonMark would. Plans write fields on consecutive lines (the README's own
   * example: Files bullets, then `**Verification:**` on the next line); read lazily, the verification
   * commands became more files and never ran (issue 22).
   */
  constructor(
    private readonly fieldsEndBlocks = false,
    /** Lines (0-based) read as blank: stray fences (cuts.ts `strayFences`). */
    private readonly blankLines?: Set<number>,
  ) {
    const parser = new Parser();
    trackInlinePositions(parser);
    this.p = parser as unknown as Internals;
    matchInPlace(this.p.inlineParser);
    // The document's finalize only removes link reference definitions, which `parse` does below.
    this.p.blocks = { ...this.p.blocks, document: { ...this.p.blocks.document!, finalize: () => {} } };
  }

  /**
   * Parses lines `from` to `to` (0-based, `to` exclusive) of `text` as Parser.parse would parse
   * `text.slice(starts[from], starts[to])`; source positions count from `from`.
   */
  parse(text: string, starts: number[], from: number, to: number): Node {
    const p = this.p;
    const doc = new Node("document", [
      [1, 1],
      [0, 0],
    ]);
    p.doc = doc;
    p.tip = doc;
    p.refmap = {};
    p.lineNumber = 0;
    p.lastLineLength = 0;
    p.offset = 0;
    p.column = 0;
    p.lastMatchedContainer = doc;
    p.currentLine = "";
    // Parser.parse splits on \r\n, \n or \r, so a piece that ends in a line ending has one more, empty,
    // line; it drops that line only when the piece's last character is \n.
    const end = to < starts.length ? starts[to]! : text.length;
    let len = to - from + (to < starts.length ? 1 : 0);
    if (end > starts[from]! && text.charCodeAt(end - 1) === 10) len--;
    for (let line = from; line < from + len; line++) {
      if (line < to) {
        const at = starts[line]!;
        const lineEnd = lineEndOf(text, starts, line + 1);
        const problem = checkLine(text, at, lineEnd, p.tip?.type === "code_block");
        if (problem) throw new PlanError(problem.code, problem.message, { line: line + 1, column: 1 });
        if (this.fieldsEndBlocks && isFieldLine(text, at)) closeLazyParagraph(p);
        p.incorporateLine(this.blankLines?.has(line) ? "" : text.slice(at, lineEnd));
      } else p.incorporateLine("");
    }
    while (p.tip) p.finalize(p.tip, len);
    removeReferenceDefinitions(p, doc);
    p.inlineParser.refmap = p.refmap;
    p.inlineParser.options = p.options;
    parseInlines(p, doc);
    return doc;
  }
}

const FIELD_LINE = /\*\*(?:[^*\r\n]{1,40}?(?::\*\*|\*\*[ \t]*:)|step[ \t]+\d)/iy;

/** A line that starts at column 0 with `**Name:**`, `**Name**:` or `**Step N`. */
function isFieldLine(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 42 || text.charCodeAt(at + 1) !== 42) return false;
  FIELD_LINE.lastIndex = at;
  return FIELD_LINE.test(text);
}

/**
 * When the open paragraph sits in a list item or a quote, the next line would continue it lazily:
 * closes it and its containers first, so that the line starts a paragraph of its own in the document.
 */
function closeLazyParagraph(p: Internals): void {
  const tip = p.tip;
  if (tip?.type !== "paragraph" || tip.parent === p.doc) return;
  while (p.tip && p.tip !== p.doc) p.finalize(p.tip, p.lineNumber);
  p.lastMatchedContainer = p.doc;
}

/** blocks.js `removeLinkReferenceDefinitions`: definitions at the start of paragraphs, in document order. */
function removeReferenceDefinitions(p: Internals, doc: Node): void {
  const empty: Node[] = [];
  const visit = (node: Node) => {
    if (node.type === "paragraph") {
      const n = node as Raw;
      let found = false;
      for (;;) {
        const content = n._string_content ?? "";
        if (content.charCodeAt(0) !== 91) break;
        const pos = p.inlineParser.parseReference(content, p.refmap);
        if (!pos) break;
        n._string_content = content.slice(pos);
        found = true;
        n.sourcepos[0][0] += content.slice(0, pos).split("\n").length - 1;
      }
      if (found && !/[^ \t\f\v\r\n]/.test(n._string_content ?? "")) empty.push(node);
    }
    if (node.isContainer) for (let c = node.firstChild; c; c = c.next) visit(c);
  };
  visit(doc);
  for (const node of empty) node.unlink();
}

/** blocks.js `processInlines`: each paragraph and heading, in document order. */
function parseInlines(p: Internals, node: Node): void {
  const t = node.type;
  if (t === "paragraph" || t === "heading") {
    p.inlineParser.parse(node);
    return;
  }
  if (node.isContainer) for (let c = node.firstChild; c; c = c.next) parseInlines(p, c);
}

/**
 * The inline parser's `match(re)` runs `re` on `subject.slice(pos)`: a new string and a result array for
 * every token of every paragraph. Its patterns start with `^` (but `` `+ ``), so the same match is found
 * in place by a sticky copy without the `^`, which reads only `lastIndex`, and the unanchored one by a
 * global copy from `pos`. A pattern this cannot be sure of (a top-level `|`, another `^`, a look-behind,
 * `\b`) keeps the original; with the `m` flag a leading `^` could also match after a line ending further
 * on, so a miss there asks the original.
 */
function matchInPlace(ip: Internals["inlineParser"]): void {
  const original = ip.match;
  const copies = new Map<RegExp, RegExp | null>();
  ip.match = function (re) {
    let y = copies.get(re);
    if (y === undefined) {
      y = inPlaceCopy(re);
      copies.set(re, y);
    }
    if (y === null) return original.call(this, re);
    y.lastIndex = this.pos;
    if (y.sticky) {
      if (!y.test(this.subject)) return re.multiline ? original.call(this, re) : null;
      const m = this.subject.slice(this.pos, y.lastIndex);
      this.pos = y.lastIndex;
      return m;
    }
    const m = y.exec(this.subject);
    if (m === null) return null;
    this.pos = y.lastIndex;
    return m[0];
  };
}

/** A sticky copy of an anchored pattern, a global copy of an unanchored one (`` `+ ``), or null. */
function inPlaceCopy(re: RegExp): RegExp | null {
  const flags = re.flags.replace("g", "");
  const source = re.source;
  if (source.charCodeAt(0) === 94)
    return inPlace(source, 1) ? new RegExp(source.slice(1), `${flags}y`) : null;
  // Unanchored: the first match at or after pos, as in the slice, when nothing in it looks at line starts.
  return inPlace(source, 0) && !re.multiline ? new RegExp(source, `${flags}g`) : null;
}

/** True when a pattern from `from` has no top-level alternative, no `^` and looks at nothing before it. */
function inPlace(source: string, from: number): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const next = source[++i];
      if (!inClass && (next === "b" || next === "B")) return false;
    } else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") {
      if (source.startsWith("(?<=", i) || source.startsWith("(?<!", i)) return false;
      depth++;
    } else if (c === ")") depth--;
    else if ((c === "|" && depth === 0) || c === "^") return false;
  }
  return true;
}
