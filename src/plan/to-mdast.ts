import type { Node } from "commonmark";
import type { BlockContent, List, ListItem, RootContent, Text } from "mdast";
import { convertInline } from "./inline.js";
import { lineEndOf } from "./lines.js";

/*
 * commonmark.js nodes → the mdast nodes the plan parser reads, with mdast positions (1-based lines and
 * columns, end exclusive, offsets into the whole text). commonmark gives blocks [[line, column], [line,
 * column]] with an inclusive end; inline positions come from inline.ts.
 */

type Position = NonNullable<Text["position"]>;
type Point = Position["start"];
type Block = BlockContent | ListItem;

/** The whole text and its line table; `lineShift` is added to the lines of a piece parsed on its own. */
export interface Ctx {
  text: string;
  starts: number[];
  lineShift: number;
  /**
   * Which inline nodes get positions: all (mdast), or only those of top-level paragraphs, the only ones
   * the plan reads (a field's line and place). Positions are most of the adapter's allocation.
   */
  inlinePositions?: "all" | "top-paragraphs";
}

/** A commonmark document's top-level blocks as mdast. */
export const toMdast = (doc: Node, ctx: Ctx): RootContent[] => blocks(doc, ctx, true) as RootContent[];

function blocks(parent: Node, ctx: Ctx, top = false): Block[] {
  const out: Block[] = [];
  for (let n = parent.firstChild; n; n = n.next) {
    const b = block(n, ctx, top);
    if (b) out.push(b);
  }
  return out;
}

function block(n: Node, ctx: Ctx, top: boolean): Block | undefined {
  const position = blockPosition(n, ctx);
  switch (n.type) {
    case "paragraph":
      return { type: "paragraph", children: inline(n, ctx, position, top), position };
    case "heading": {
      const depth = Math.min(Math.max(n.level, 1), 6) as 1 | 2 | 3 | 4 | 5 | 6;
      return { type: "heading", depth, children: inline(n, ctx, position, false), position };
    }
    case "thematic_break":
      return { type: "thematicBreak", position };
    case "block_quote":
      return { type: "blockquote", children: blocks(n, ctx) as BlockContent[], position };
    case "list": {
      const spread = !n.listTight;
      const children = blocks(n, ctx) as ListItem[];
      for (const item of children) item.spread = spread;
      const last = children.at(-1)?.position;
      if (last) position.end = last.end;
      const ordered = n.listType === "ordered";
      const list: List = {
        type: "list",
        ordered,
        start: ordered ? n.listStart : null,
        spread,
        children,
        position,
      };
      return list;
    }
    case "item": {
      // An empty item ends at the end of its line in mdast; commonmark ends it after its marker's padding.
      if (!n.firstChild) position.end = point(ctx, position.start.line, Number.MAX_SAFE_INTEGER);
      const children = blocks(n, ctx) as BlockContent[];
      const last = children.at(-1)?.position;
      if (last) position.end = last.end;
      return { type: "listItem", spread: false, checked: null, children, position };
    }
    case "code_block":
      return codeBlock(n, ctx, position);
    case "html_block":
      return { type: "html", value: (n.literal ?? "").replace(/\n+$/, ""), position };
    default:
      return undefined;
  }
}

const inline = (n: Node, ctx: Ctx, position: Position, topParagraph: boolean) =>
  convertInline(
    n,
    position.start.line,
    ctx.text,
    ctx.starts,
    ctx.inlinePositions !== "top-paragraphs" || topParagraph,
  );

function codeBlock(n: Node, ctx: Ctx, position: Position): BlockContent {
  const value = (n.literal ?? "").replace(/\n$/, "");
  if (!(n as Node & { _isFenced?: boolean })._isFenced) {
    // commonmark starts an indented block after its indentation; mdast at the indentation.
    const start = position.start;
    const lineStart = ctx.starts[start.line - 1] ?? 0;
    let offset = start.offset ?? 0;
    for (let cols = 0; cols < 4 && offset > lineStart; ) {
      const c = ctx.text.charCodeAt(offset - 1);
      if (c !== 32 && c !== 9) break;
      offset--;
      cols += c === 9 ? 4 : 1;
    }
    position.start = { line: start.line, column: offset - lineStart + 1, offset };
    return { type: "code", lang: null, meta: null, value, position };
  }
  const info = (n.info ?? "").trim();
  const space = info.search(/\s/);
  const lang = space < 0 ? info : info.slice(0, space);
  const meta = space < 0 ? "" : info.slice(space).trim();
  return { type: "code", lang: lang || null, meta: meta || null, value, position };
}

/** commonmark's [[line, column], [line, column]] with an inclusive end, as an mdast position. */
function blockPosition(n: Node, ctx: Ctx): Position {
  const sp = n.sourcepos;
  const sl = sp[0][0] + ctx.lineShift;
  const sc = sp[0][1];
  const el = sp[1][0] + ctx.lineShift;
  const ec = sp[1][1];
  const start = point(ctx, sl, sc);
  const end = el < sl || (el === sl && ec < sc) ? start : point(ctx, el, ec + 1);
  return { start, end };
}

/** A point on `line`, no further than the end of that line (commonmark ends an empty list item past it). */
function point(ctx: Ctx, line: number, column: number): Point {
  const l = Math.min(Math.max(line, 1), ctx.starts.length);
  const start = ctx.starts[l - 1] ?? 0;
  const offset = Math.min(start + Math.max(column, 1) - 1, lineEndOf(ctx.text, ctx.starts, l));
  return { line: l, column: offset - start + 1, offset };
}
