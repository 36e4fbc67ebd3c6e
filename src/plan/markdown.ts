import type { Nodes, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";

/**
 * Parses markdown into top-level block nodes whose positions are absolute in `text`.
 *
 * The document is parsed in pieces split before column-0 ATX headings: micromark is quadratic in the
 * number of blocks of one document (measured here: 4,000 one-item lists took 6 s, 200 plan batches 17 s),
 * while a plan of 10,000 small sections parsed piece by piece is linear. A column-0 `#` line ends every
 * open container, so it starts a new top-level heading unless it sits inside a fenced code block or an
 * HTML block. `splitCandidates` skips lines inside fences it can see; `endsOpen` asks the real parser
 * whether the piece before a split ended inside such a block, and if so the split is undone.
 * Link reference definitions do not reach across pieces; plans rarely use them.
 */
export function parseBlocks(text: string, chunkSize = CHUNK_SIZE): RootContent[] {
  const cuts = splitCandidates(text, chunkSize);
  const out: RootContent[] = [];
  let i = 0;
  while (i < cuts.length - 1) {
    let j = i + 1;
    const from = cuts[i]!;
    for (;;) {
      const to = cuts[j]!;
      const chunk = text.slice(from.offset, to.offset);
      const root = fromMarkdown(chunk);
      if (j < cuts.length - 1 && endsOpen(root, chunk)) {
        j++;
        continue;
      }
      shiftPositions(root, from.offset, from.line - 1);
      for (const child of root.children) out.push(child);
      break;
    }
    i = j;
  }
  return out;
}

/**
 * Pieces are cut at the first heading past this many characters: each micromark call costs a fixed
 * setup (it combines its syntax extensions per call), and lists stay cheap well past this size.
 */
const CHUNK_SIZE = 2048;

interface Cut {
  offset: number;
  line: number;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATX = /^#{1,6}(?:[ \t]|$)/;

/** Offsets of lines that may start a top-level heading, plus the start and end of the text. */
function splitCandidates(text: string, chunkSize: number): Cut[] {
  const cuts: Cut[] = [{ offset: 0, line: 1 }];
  let fence: { char: string; len: number } | undefined;
  let offset = 0;
  let line = 1;
  while (offset < text.length) {
    let end = text.indexOf("\n", offset);
    if (end < 0) end = text.length;
    const content = text.slice(offset, end).replace(/\r$/, "");
    const m = FENCE.exec(content);
    if (fence) {
      if (m && m[2]![0] === fence.char && m[2]!.length >= fence.len && m[3]!.trim() === "") fence = undefined;
    } else if (m && !(m[2]![0] === "`" && m[3]!.includes("`"))) {
      fence = { char: m[2]![0]!, len: m[2]!.length };
    } else if (offset - cuts.at(-1)!.offset >= chunkSize && ATX.test(content)) {
      cuts.push({ offset, line });
    }
    offset = end + 1;
    line++;
  }
  cuts.push({ offset: text.length, line });
  return cuts;
}

/** True when the piece's last block is a fenced code or HTML block that the end of the piece left open. */
function endsOpen(root: Root, chunk: string): boolean {
  let node: Nodes | undefined = root.children.at(-1);
  while (node && (node.type === "list" || node.type === "listItem" || node.type === "blockquote")) {
    node = node.children.at(-1);
  }
  const start = node?.position?.start.offset;
  const end = node?.position?.end.offset;
  if (!node || start === undefined || end === undefined) return false;
  if (node.type === "code") return !fenceClosed(chunk.slice(start, end));
  if (node.type === "html") return !htmlClosed(node.value, chunk.slice(end));
  return false;
}

function fenceClosed(source: string): boolean {
  const lines = source.split("\n");
  const open = /^\s*(`{3,}|~{3,})/.exec(lines[0] ?? "");
  if (!open) return true; // indented code ends at any column-0 line
  if (lines.length < 2) return false;
  const last = (lines.at(-1) ?? "").trim();
  const run = open[1]!;
  return last.length >= run.length && [...last].every((c) => c === run[0]);
}

const HTML_ENDS: [RegExp, string][] = [
  [/^<(?:script|pre|style|textarea)\b/i, ""],
  [/^<!--/, "-->"],
  [/^<\?/, "?>"],
  [/^<!\[CDATA\[/, "]]>"],
  [/^<![A-Za-z]/, ">"],
];

function htmlClosed(value: string, after: string): boolean {
  const v = value.trimStart();
  for (const [start, end] of HTML_ENDS) {
    if (!start.test(v)) continue;
    if (end) return v.includes(end, 2);
    return /<\/(?:script|pre|style|textarea)>/i.test(v);
  }
  // Other HTML blocks run until a blank line.
  return /\n[ \t]*\r?\n/.test(after);
}

function shiftPositions(root: Root, offset: number, lines: number): void {
  if (offset === 0 && lines === 0) return;
  const stack: Nodes[] = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const p = node.position;
    if (p) {
      p.start.line += lines;
      p.end.line += lines;
      if (p.start.offset !== undefined) p.start.offset += offset;
      if (p.end.offset !== undefined) p.end.offset += offset;
    }
    if ("children" in node) for (const c of node.children) stack.push(c);
  }
}
