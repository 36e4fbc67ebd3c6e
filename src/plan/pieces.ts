import type { List, ListItem, Paragraph, PhrasingContent, RootContent, Text } from "mdast";
import { endOffset, posOf, type Source } from "./source.js";
import { textOf } from "./text.js";
import type { SourcePos } from "./types.js";

/** A `**Name:** value` line: the field's name, where it is, and the rest of its line. */
export interface FieldPiece {
  kind: "field";
  name: string;
  pos: SourcePos;
  /** Inline content after the field name on the same line. */
  rest: PhrasingContent[];
  /** The same, as markdown source. */
  restMd: string;
  /** The whole line as markdown source (kept when the field turns out to be prose). */
  lineMd: string;
  /** The paragraph the field line is in, so its continuation lines can be told apart. */
  para?: Paragraph;
}

/** A block, or the lines of a paragraph that follow a field line. */
export interface BlockPiece {
  kind: "block";
  node: RootContent;
  md: string;
  /** Inline content when the piece is (part of) a paragraph or a heading. */
  inline?: PhrasingContent[];
  /** `**Step N: …**` lines found in this piece. */
  steps: string[];
  /** A list of checkbox or `**Step N**` bullets: it ends a Files list (issue 22). */
  stepList?: boolean;
}

export type Piece = FieldPiece | BlockPiece;

const STEP = /^step\s+\d+\w*\b/i;

/**
 * Splits a section's blocks into pieces. Fields are found per line because people write several in one
 * paragraph (`**Dependencies:** None` and `**Execution Mode:** local` on consecutive lines).
 */
export function splitPieces(
  blocks: RootContent[],
  src: Source,
  fieldHeading: (name: string) => boolean,
  fieldList?: (name: string) => boolean,
): Piece[] {
  const out: Piece[] = [];
  for (const node of blocks) {
    if (node.type === "paragraph") {
      splitParagraph(node, src, out);
    } else if (node.type === "heading") {
      const text = textOf(node).trim();
      const name = text.replace(/:$/, "").trim();
      if (fieldHeading(name)) {
        const p = posOf(node);
        out.push({ kind: "field", name, pos: p, rest: [], restMd: "", lineMd: src.of(node) });
      } else {
        out.push({
          kind: "block",
          node,
          md: src.of(node),
          inline: node.children,
          steps: STEP.test(text) ? [text] : [],
        });
      }
    } else if (node.type === "list") {
      if (fieldList && isFieldList(node, fieldList)) fieldItems(node, src, out);
      else splitList(node, src, out);
    } else {
      out.push({ kind: "block", node, md: src.of(node), steps: [] });
    }
  }
  return out;
}

const LABEL = /^\s*\*\*([^*\n]{1,40}?)\s*(?::\*\*|\*\*\s*:)\s*/;

const PLAIN_LABEL = /^\s*([\p{L}][\p{L} ()-]{0,30}?)\s*:(?:\s|$)/u;

/** The `**Name:**` (or plain `Name:`) a list item starts with, if any. */
function labelOf(item: ListItem): string | undefined {
  const para = item.children[0];
  if (para?.type !== "paragraph") return undefined;
  const head = para.children[0];
  if (head?.type === "text") return PLAIN_LABEL.exec(head.value)?.[1]?.trim();
  if (head?.type !== "strong") return undefined;
  const name = textOf(head).trim();
  if (name.endsWith(":")) return name.slice(0, -1).trim();
  const next = para.children[1];
  return next?.type === "text" && next.value.startsWith(":") ? name : undefined;
}

/**
 * Fields written as bullets (`- **Status:** done`, `- **Depends on:** Task 1`): every item starts with a
 * `**Name:**` label and one of them is a field Orchard reads.
 */
function isFieldList(node: List, known: (name: string) => boolean): boolean {
  let any = false;
  for (const item of node.children) {
    const name = labelOf(item);
    if (name === undefined) return false;
    if (known(name)) any = true;
  }
  return any;
}

/** Each bullet as a field line, and what is nested under it as the blocks that follow it. */
function fieldItems(node: List, src: Source, out: Piece[]): void {
  for (const item of node.children) {
    const para = item.children[0] as Paragraph;
    const label = labelOf(item)!;
    const lineMd = src.of(para);
    let rest: PhrasingContent[];
    let restMd: string;
    const first = para.children[0]!;
    if (first.type === "text") {
      const m = PLAIN_LABEL.exec(first.value)!;
      rest = [{ type: "text", value: first.value.slice(m[0].length) } as Text, ...para.children.slice(1)];
      restMd = lineMd.replace(PLAIN_LABEL, "").trim();
    } else {
      const head = para.children[1];
      rest =
        head?.type === "text" && head.value.startsWith(":")
          ? [{ type: "text", value: head.value.slice(1) } as Text, ...para.children.slice(2)]
          : para.children.slice(1);
      restMd = lineMd.replace(LABEL, "").trim();
    }
    out.push({ kind: "field", name: label, pos: posOf(item), rest, restMd, lineMd });
    for (const child of item.children.slice(1)) {
      if (child.type === "list") splitList(child, src, out);
      else out.push({ kind: "block", node: child, md: src.of(child), steps: [] });
    }
  }
}

/**
 * A list whose bullets change from files to steps part-way is two lists to a reader: CommonMark joins
 * `- Test: \`a.ts\`` and `- [ ] **Step 1:** …` (with or without a blank line between) into one.
 */
function splitList(node: List, src: Source, out: Piece[]): void {
  const items = node.children;
  let from = 0;
  let step = isStepItem(items[0]);
  for (let i = 1; i <= items.length; i++) {
    const s = i < items.length ? isStepItem(items[i]) : !step;
    if (s === step) continue;
    const run = from === 0 && i === items.length ? node : subList(node, items.slice(from, i));
    out.push({ kind: "block", node: run, md: src.of(run), steps: [], ...(step ? { stepList: true } : {}) });
    from = i;
    step = s;
  }
}

function subList(node: List, children: ListItem[]): List {
  const start = children[0]!.position?.start;
  const end = children.at(-1)!.position?.end;
  const list: List = { ...node, children };
  if (start && end) list.position = { start, end };
  return list;
}

const CHECKBOX = /^\s*\[[ xX]\]/;

/** `- [ ] …`, `- [x] …` or `- **Step 2:** …`. */
function isStepItem(item: ListItem | undefined): boolean {
  const para = item?.children[0];
  if (para?.type !== "paragraph") return false;
  const first = para.children[0];
  if (first?.type === "text" && CHECKBOX.test(first.value)) return true;
  return first?.type === "strong" && STEP.test(textOf(first).trim());
}

interface Line {
  frags: PhrasingContent[];
  line: number;
}

function splitParagraph(node: Paragraph, src: Source, out: Piece[]): void {
  const lines = paragraphLines(node);
  let from = 0;
  for (let i = 0; i < lines.length; i++) {
    const field = fieldOf(lines[i]!, src);
    if (!field) continue;
    if (i > from) out.push(linesBlock(node, lines, from, i, src));
    field.para = node;
    out.push(field);
    from = i + 1;
  }
  if (lines.length > from) out.push(linesBlock(node, lines, from, lines.length, src));
}

/** Lines `from` to `to` (exclusive) of a paragraph as one block piece. */
function linesBlock(node: Paragraph, lines: Line[], from: number, to: number, src: Source): BlockPiece {
  const pending = lines.slice(from, to);
  const whole = from === 0 && to === lines.length;
  const md = whole
    ? src.of(node)
    : src.slice(src.lineStart(pending[0]!.line), src.lineEnd(pending.at(-1)!.line)).trim();
  const steps: string[] = [];
  for (const line of pending) {
    const step = stepOf(line);
    if (step !== undefined) steps.push(step);
  }
  return { kind: "block", node, md, inline: joinLines(pending), steps };
}

/** Inline children cut at soft and hard line breaks; each line knows its source line number. */
function paragraphLines(node: Paragraph): Line[] {
  const kids = node.children;
  // Most paragraphs are one line: their children are that line, as they are.
  if (!kids.some(breaksLine)) {
    return kids.length > 0 ? [{ frags: kids, line: kids[0]!.position?.start.line ?? startLineOf(node) }] : [];
  }
  let cur: Line = { frags: [], line: startLineOf(node) };
  const lines = [cur];
  for (const child of kids) {
    const line = child.position?.start.line ?? cur.line;
    if (cur.frags.length === 0) cur.line = line;
    if (child.type === "break") {
      cur = { frags: [], line: child.position?.end.line ?? line };
      lines.push(cur);
      continue;
    }
    if (child.type !== "text" || !child.value.includes("\n")) {
      cur.frags.push(child);
      continue;
    }
    // The text's lines, by index rather than split(): this runs for most paragraphs of a plan.
    const v = child.value;
    for (let from = 0, i = 0; ; i++) {
      const nl = v.indexOf("\n", from);
      const part = nl < 0 ? v.slice(from) : v.slice(from, nl);
      if (i > 0) {
        cur = { frags: [], line: line + i };
        lines.push(cur);
      }
      if (part) cur.frags.push({ type: "text", value: part } satisfies Text);
      if (nl < 0) break;
      from = nl + 1;
    }
  }
  return lines.filter((l) => l.frags.length > 0);
}

const startLineOf = (node: Paragraph): number => node.position?.start.line ?? 1;

const breaksLine = (n: PhrasingContent): boolean =>
  n.type === "break" || (n.type === "text" && n.value.includes("\n"));

function joinLines(lines: Line[]): PhrasingContent[] {
  if (lines.length === 1) return lines[0]!.frags;
  const out: PhrasingContent[] = [];
  lines.forEach((l, i) => {
    if (i > 0) out.push({ type: "text", value: "\n" });
    out.push(...l.frags);
  });
  return out;
}

const isBlank = (n: PhrasingContent | undefined) => n?.type === "text" && n.value.trim() === "";

/** `**Name:** rest` or `**Name**: rest` at the start of a line; `**Step 1: …**` is a step, not a field. */
function fieldOf(line: Line, src: Source): FieldPiece | undefined {
  const frags = line.frags;
  let i = 0;
  while (isBlank(frags[i])) i++;
  const head = frags[i];
  if (head?.type !== "strong") return undefined;
  let name = textOf(head).trim();
  let rest = frags.slice(i + 1);
  let restStart = endOffset(head);
  if (name.endsWith(":")) {
    name = name.slice(0, -1).trim();
  } else {
    const next = rest[0];
    if (next?.type !== "text" || !next.value.startsWith(":")) return undefined;
    rest = [{ type: "text", value: next.value.slice(1) }, ...rest.slice(1)];
    restStart += 1;
  }
  if (!name || name.length > 40 || STEP.test(name)) return undefined;
  const lineEnd = src.lineEnd(head.position?.end.line ?? line.line);
  return {
    kind: "field",
    name,
    pos: posOf(head),
    rest,
    restMd: src.slice(restStart, Math.max(restStart, lineEnd)).trim(),
    lineMd: src.slice(src.lineStart(line.line), lineEnd).trim(),
  };
}

function stepOf(line: Line): string | undefined {
  const first = line.frags.find((f) => !isBlank(f));
  if (first?.type !== "strong") return undefined;
  const text = textOf(first).trim();
  return STEP.test(text) ? textOf(line.frags).trim() : undefined;
}
