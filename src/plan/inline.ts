import type { Node, Parser } from "commonmark";
import type { PhrasingContent, Text } from "mdast";
import { toString as textOf } from "mdast-util-to-string";
import { SubjectMap } from "./subject-map.js";

/** A commonmark node with the subject range the hook below recorded (inline nodes only). */
type Position = NonNullable<Text["position"]>;
type Tracked = Node & { _s?: number; _e?: number; _subject?: string };

interface InlineParser {
  pos: number;
  subject: string;
  brackets: { node: Tracked } | null;
  parseInline(this: InlineParser, block: Node): boolean;
  parse(this: InlineParser, block: Node): void;
}

const CLOSE_BRACKET = 93;

/**
 * commonmark.js gives source positions for blocks only. Its inline parser appends exactly one node per
 * step at the end of the paragraph, so wrapping that step records each node's range in the subject; a
 * link's range starts at its `[`, whose text node the parser drops. Emphasis nodes are made afterwards
 * from delimiter runs and get their range from their children. The subject is kept on the block.
 */
export function trackInlinePositions(parser: Parser): void {
  const ip = (parser as unknown as { inlineParser: InlineParser }).inlineParser;
  const step = ip.parseInline;
  const parse = ip.parse;
  ip.parseInline = function (block) {
    const before = this.pos;
    const last = block.lastChild;
    const opener = this.brackets;
    const more = step.call(this, block);
    const node = block.lastChild as Tracked | null;
    if (node && node !== last) {
      const link =
        (node.type === "link" || node.type === "image") && this.subject.charCodeAt(before) === CLOSE_BRACKET;
      node._s = link && opener?.node._s !== undefined ? opener.node._s : before;
      node._e = this.pos;
    }
    return more;
  };
  ip.parse = function (block) {
    parse.call(this, block);
    (block as Tracked)._subject = this.subject;
  };
}

interface Ctx {
  subject: string;
  /** Undefined when the caller does not want positions (see `positions` below). */
  map: SubjectMap | undefined;
}

/**
 * A paragraph's or heading's inline children as mdast, adjacent text and soft breaks merged as mdast does.
 * With `positions` false the nodes are the same but carry no position.
 */
export function convertInline(
  block: Node,
  firstLine: number,
  text: string,
  starts: number[],
  positions = true,
): PhrasingContent[] {
  const subject = (block as Tracked)._subject ?? "";
  if (!block.firstChild) return [];
  const map = positions ? new SubjectMap(subject, firstLine, text, starts) : undefined;
  return children(block, { subject, map }, 0, subject.length);
}

function children(parent: Node, ctx: Ctx, from: number, to: number): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let text: Text | undefined;
  for (let n = parent.firstChild as Tracked | null; n; n = n.next as Tracked | null) {
    let s = n._s ?? from;
    let e = n._e ?? to;
    const t = n.type;
    // mdast drops whitespace before a line ending (commonmark keeps tabs), but not before a `\` break.
    if (text && (t === "softbreak" || (t === "linebreak" && ctx.subject.charCodeAt(s) !== 92))) {
      const trimmed = trimEnd(text.value);
      const end = text.position?.end;
      if (end && trimmed.length < text.value.length && end.column > text.value.length - trimmed.length) {
        text.position!.end = shift(end, trimmed.length - text.value.length);
      }
      text.value = trimmed;
      if (text.value === "") {
        out.pop();
        text = undefined;
      }
    }
    if (t === "text" || t === "softbreak") {
      const value = t === "text" ? (n.literal ?? "") : "\n";
      if (t === "text") {
        const len = n.literal?.length ?? 0;
        if (len < e - s) {
          const from = s;
          s = textStart(n, from, e, len, ctx.subject);
          e = textEnd(n, from, e, len, ctx.subject);
        }
      }
      if (value === "") continue;
      if (text) {
        text.value += value;
        if (ctx.map) text.position!.end = ctx.map.end(e);
      } else {
        text = { type: "text", value };
        if (ctx.map) text.position = range(ctx.map, s, e);
        out.push(text);
      }
      continue;
    }
    text = undefined;
    const node = convert(n, ctx, s, e);
    if (node) out.push(node);
  }
  return out;
}

function convert(n: Tracked, ctx: Ctx, s: number, e: number): PhrasingContent | undefined {
  const node = convertNode(n, ctx, s, e);
  if (node && ctx.map && !node.position) node.position = range(ctx.map, s, e);
  return node;
}

/** An inline node without its position, except emphasis and breaks, whose range is not [s, e). */
function convertNode(n: Tracked, ctx: Ctx, s: number, e: number): PhrasingContent | undefined {
  switch (n.type) {
    case "code":
      return { type: "inlineCode", value: codeValue(n, ctx.subject, s, e) };
    case "linebreak": {
      if (!ctx.map) return { type: "break" };
      // Trailing spaces belong to the break, as in mdast.
      if (ctx.subject.charCodeAt(s) === 10) while (s > 0 && ctx.subject.charCodeAt(s - 1) === 32) s--;
      return { type: "break", position: { start: ctx.map.point(s), end: ctx.map.end(e) } };
    }
    case "html_inline":
      return { type: "html", value: n.literal ?? "" };
    case "emph":
    case "strong":
      return delimited(n, ctx, s, e);
    case "link":
    case "image": {
      const kids = children(n, ctx, s + 1, e - 1);
      const url = n.destination ?? "";
      const title = n.title ? n.title : null;
      if (n.type === "link") return { type: "link", url, title, children: kids };
      return { type: "image", url, title, alt: textOf(kids) };
    }
    default:
      return undefined;
  }
}

/** Emphasis spans its children plus one (`*`) or two (`**`) delimiter characters on each side. */
function delimited(n: Tracked, ctx: Ctx, s: number, e: number): PhrasingContent {
  const kids = children(n, ctx, s, e);
  const node: PhrasingContent =
    n.type === "strong" ? { type: "strong", children: kids } : { type: "emphasis", children: kids };
  if (!ctx.map) return node;
  const d = n.type === "strong" ? 2 : 1;
  const first = kids[0]?.position;
  const last = kids.at(-1)?.position;
  node.position =
    first && last ? { start: shift(first.start, -d), end: shift(last.end, d) } : range(ctx.map, s, e);
  return node;
}

const shift = (p: Position["start"], by: number) => ({
  line: p.line,
  column: p.column + by,
  offset: (p.offset ?? 0) + by,
});

/**
 * A text node's recorded range can be wider than what is left of it (`len` characters): emphasis takes
 * delimiters from the end of an opening run and the start of a closing one, and a line break takes
 * trailing spaces. Start and end are separate functions so that no pair is allocated per text node.
 */
function textStart(n: Tracked, s: number, e: number, len: number, subject: string): number {
  const c = subject.charCodeAt(s);
  if (c !== 42 && c !== 95) return s;
  const prev = n.prev?.type;
  return prev === "emph" || prev === "strong" ? e - len : s;
}

/** The end to go with `textStart`, from the same recorded range. */
function textEnd(n: Tracked, s: number, e: number, len: number, subject: string): number {
  const c = subject.charCodeAt(s);
  if (c === 42 || c === 95) {
    const prev = n.prev?.type;
    return prev === "emph" || prev === "strong" ? e : s + len;
  }
  const next = n.next?.type;
  if (next === "softbreak" || next === "linebreak") while (e > s && subject.charCodeAt(e - 1) === 32) e--;
  return e;
}

/** mdast keeps line endings in code spans where commonmark turns them into spaces. */
function codeValue(n: Node, subject: string, s: number, e: number): string {
  const literal = n.literal ?? "";
  const raw = subject.slice(s, e);
  if (!raw.includes("\n")) return literal;
  let ticks = 0;
  while (raw.charCodeAt(ticks) === 96) ticks++;
  let inner = raw.slice(ticks, raw.length - ticks);
  const pad = (c: string | undefined) => c === " " || c === "\n";
  if (inner.length > 1 && pad(inner[0]) && pad(inner.at(-1)) && /[^ \n]/.test(inner))
    inner = inner.slice(1, -1);
  return inner;
}

const trimEnd = (v: string) => {
  let end = v.length;
  while (end > 0 && (v.charCodeAt(end - 1) === 32 || v.charCodeAt(end - 1) === 9)) end--;
  return end === v.length ? v : v.slice(0, end);
};

const range = (map: SubjectMap, s: number, e: number): Position => ({
  start: map.point(s),
  end: map.end(e),
});
