import type { RootContent } from "mdast";
import { LineParser } from "./commonmark.js";
import { endsOpen, hasDefinitions, splitCandidates, strayFences } from "./cuts.js";
import { lineStarts } from "./lines.js";
import { type Ctx, toMdast } from "./to-mdast.js";

/**
 * Parses markdown into top-level mdast block nodes with positions absolute in `text` (mdast's
 * conventions: 1-based lines and columns, end exclusive, offsets into `text`), using commonmark.js, the
 * reference CommonMark parser. `starts` is the text's line table (lines.ts) when the caller has it.
 *
 * commonmark is linear, but a whole 4 MB plan makes a tree of 650,000 nodes that outlives many young
 * generation collections: measured here, half of a whole-document parse was garbage collection, and
 * parsing the same plan in 64 KiB pieces took a quarter of the time. Smaller pieces keep fewer nodes alive
 * across each scavenge: on the 10,000-task benchmark plans, 4 KiB pieces spent half the scavenge time of
 * 16 KiB ones, and smaller pieces gained little more. So the text is parsed in pieces cut
 * before column-0 ATX headings, which close every open block except a fenced code block or an HTML block;
 * when a piece ends inside one of those (`endsOpen`), the cut is undone. Link reference definitions
 * reach across the document, so a text that may contain one is parsed whole.
 */
export function parseBlocks(
  text: string,
  starts: number[] = lineStarts(text),
  pieceSize = PIECE_SIZE,
): RootContent[] {
  const out: RootContent[] = [];
  for (const blocks of blockPieces(text, starts, pieceSize, "all", false))
    for (const b of blocks) out.push(b);
  return out;
}

/**
 * The same blocks, piece by piece, so that a caller that consumes each piece before asking for the next
 * lets its nodes die young too. The plan reads the positions of inline nodes only in top-level
 * paragraphs, so by default only those have them (to-mdast.ts). By default a `**Name:**` line at column 0
 * also ends an open list or quote (LineParser's `fieldsEndBlocks`); `parseBlocks` is plain CommonMark.
 */
export function* blockPieces(
  text: string,
  starts: number[] = lineStarts(text),
  pieceSize = PIECE_SIZE,
  inlinePositions: Ctx["inlinePositions"] = "top-paragraphs",
  fieldsEndBlocks = true,
  stray: Set<number> | undefined = fieldsEndBlocks ? strayFences(text, starts) : undefined,
): Generator<RootContent[]> {
  const cuts = hasDefinitions(text) ? [0, starts.length] : splitCandidates(text, starts, pieceSize);
  const parser = new LineParser(fieldsEndBlocks, stray);
  let i = 0;
  while (i < cuts.length - 1) {
    const from = cuts[i]!;
    let j = i + 1;
    for (;;) {
      const to = cuts[j]!;
      const doc = parser.parse(text, starts, from, to);
      if (j < cuts.length - 1 && endsOpen(doc, text, starts, from, to)) {
        j++;
        continue;
      }
      i = j;
      yield toMdast(doc, { text, starts, lineShift: from, inlinePositions });
      break;
    }
  }
}

/** Pieces are cut at the first heading past this many characters. */
const PIECE_SIZE = 4 * 1024;
