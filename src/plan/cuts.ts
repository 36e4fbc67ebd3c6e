import type { Node } from "commonmark";
import { lineEndOf } from "./lines.js";

// Lines that matter when cutting: a column-0 ATX heading (a cut candidate) or a code fence.
const INTERESTING = /^(?:#{1,6}(?:[ \t]|$)| {0,3}(?:`{3,}|~{3,}))/gm;
const FENCE = /^ {0,3}(`{3,}|~{3,})([^\r\n]*)/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * 0-based indexes of lines that may start a top-level heading, at least `pieceSize` characters apart,
 * between 0 and the line count. Lines inside fences seen here are skipped; they are only a guess (a
 * fence may sit in a list item or an HTML block), which `endsOpen` checks against the real parse.
 */
export function splitCandidates(text: string, starts: number[], pieceSize: number): number[] {
  const cuts = [0];
  let fence: { char: string; len: number } | undefined;
  let lastCut = 0;
  let line = 0;
  INTERESTING.lastIndex = 0;
  for (let m = INTERESTING.exec(text); m; m = INTERESTING.exec(text)) {
    const at = m.index;
    while (line + 1 < starts.length && starts[line + 1]! <= at) line++;
    if (starts[line] !== at) continue; // `m` flag also matches after a lone \r
    const end = line + 1 < starts.length ? starts[line + 1]! : text.length;
    const content = text.slice(at, end).replace(/\r?\n?$|\r$/, "");
    const f = FENCE.exec(content);
    if (fence) {
      if (f && f[1]![0] === fence.char && f[1]!.length >= fence.len && f[2]!.trim() === "") fence = undefined;
    } else if (f && !(f[1]![0] === "`" && f[2]!.includes("`"))) {
      fence = { char: f[1]![0]!, len: f[1]!.length };
    } else if (!f && at - lastCut >= pieceSize) {
      cuts.push(line);
      lastCut = at;
    }
  }
  cuts.push(starts.length);
  return cuts;
}

type Internal = Node & {
  _isFenced?: boolean;
  _fenceChar?: string;
  _fenceLength?: number;
  _htmlBlockType?: number;
};

const HTML_CLOSE = [/./, /<\/(?:script|pre|textarea|style)>/i, /-->/, /\?>/, />/, /\]\]>/];

/**
 * True when a piece (lines `from` to `to` of `text`, 0-based, `to` exclusive) ends inside its last
 * top-level block, a fenced code block or an HTML block, so the heading after the piece would have been
 * part of that block in the whole document.
 */
export function endsOpen(doc: Node, text: string, starts: number[], from: number, to: number): boolean {
  const last = doc.lastChild as Internal | null;
  if (!last) return false;
  const startLine = last.sourcepos[0][0];
  const endLine = last.sourcepos[1][0];
  const line = from + endLine;
  const lastLine = text.slice(starts[line - 1] ?? text.length, lineEndOf(text, starts, line));
  if (last.type === "code_block" && last._isFenced) {
    const close = CLOSING_FENCE.exec(lastLine);
    const closed =
      endLine > startLine &&
      close !== null &&
      close[1]![0] === last._fenceChar &&
      close[1]!.length >= (last._fenceLength ?? 3);
    return !closed;
  }
  if (last.type === "html_block") {
    const type = last._htmlBlockType ?? 7;
    // Types 6 and 7 end at a blank line, so one must follow the block inside the piece.
    if (type >= 6) return line >= to;
    return !HTML_CLOSE[type]!.test(lastLine);
  }
  return false;
}

/** True when the text may hold a link reference definition, which a piece would not see. */
export const hasDefinitions = (text: string): boolean => /^ {0,3}\[(?:[^\\\]\r\n]|\\.){1,999}\]:/m.test(text);

const FENCE_OR_TASK = /^(?: {0,3}(`{3,}|~{3,})([^\r\n]*)|#{1,6}[ \t]+task[ \t])/gim;

/**
 * Lines that open a code block only because a code fence nested in a heredoc closed the block before
 * them early (issue 22): a fence with no info string whose block holds a `### Task` heading and then a
 * line such as "```bash" — in CommonMark that line is code, but a person sees a new block start there,
 * so the bare fence was the stray close of the one before, and the heading is a heading. 0-based.
 */
export function strayFences(text: string, starts: number[]): Set<number> {
  const stray = new Set<number>();
  let open: { line: number; char: string; len: number; bare: boolean; task: boolean } | undefined;
  let line = 0;
  FENCE_OR_TASK.lastIndex = 0;
  for (let m = FENCE_OR_TASK.exec(text); m; m = FENCE_OR_TASK.exec(text)) {
    const at = m.index;
    while (line + 1 < starts.length && starts[line + 1]! <= at) line++;
    if (starts[line] !== at) continue;
    if (m[1] === undefined) {
      if (open) open.task = true;
      continue;
    }
    const char = m[1][0]!;
    const info = m[2]!.trim();
    if (open) {
      if (char !== open.char) continue;
      if (info === "" && m[1].length >= open.len) {
        open = undefined;
        continue;
      }
      // A shorter fence inside a longer one (a sample plan in ````) is content, as a person reads it too.
      if (info === "" || !open.bare || !open.task || m[1].length < open.len) continue;
      stray.add(open.line);
    } else if (char === "`" && info.includes("`")) continue;
    open = { line, char, len: m[1].length, bare: info === "", task: false };
  }
  return stray;
}
