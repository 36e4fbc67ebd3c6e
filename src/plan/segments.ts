import type { PhrasingContent } from "mdast";
import { type FieldKey, fieldKey } from "./fields.js";
import type { BlockPiece, FieldPiece, Piece } from "./pieces.js";
import { textOf } from "./text.js";

/** A field and the blocks that belong to it; `free` is text under no field. */
export interface Segment {
  key: FieldKey | "free";
  field?: FieldPiece;
  blocks: BlockPiece[];
}

/** Fields whose content runs until the next structural field. */
const BLOCK_FIELDS = new Set<Segment["key"]>(["implementation", "verification", "free"]);

/**
 * Groups pieces under the fields they belong to. Files takes the lists that follow it; one-line fields
 * take the rest of their paragraph (or, when their line is empty, the one block after it); Implementation
 * and Verification take everything up to the next structural field. Unknown fields are reported and kept
 * as text where they stand.
 */
export function segment(pieces: Piece[], onUnknown: (f: FieldPiece) => void): Segment[] {
  const out: Segment[] = [];
  let cur: Segment = { key: "free", blocks: [] };
  for (const piece of pieces) {
    if (piece.kind === "field") {
      const key = fieldKey(piece.name);
      if (key === undefined) onUnknown(piece);
      if (key === undefined || key === "prose") {
        const asText = proseBlock(piece);
        if (BLOCK_FIELDS.has(cur.key)) cur.blocks.push(asText);
        else {
          keep(out, cur);
          cur = { key: "free", blocks: [asText] };
        }
        continue;
      }
      keep(out, cur);
      cur = { key, field: piece, blocks: [] };
      continue;
    }
    if (!accepts(cur, piece)) {
      keep(out, cur);
      cur = { key: "free", blocks: [] };
    }
    cur.blocks.push(piece);
  }
  keep(out, cur);
  return out;
}

/** A segment that has a field or blocks; an empty free one is dropped. */
function keep(out: Segment[], seg: Segment): void {
  if (seg.field || seg.blocks.length > 0) out.push(seg);
}

function accepts(seg: Segment, piece: BlockPiece): boolean {
  if (BLOCK_FIELDS.has(seg.key)) return true;
  const continues = seg.field?.para !== undefined && piece.node === seg.field.para;
  if (continues) return true;
  if (seg.key === "files") return piece.node.type === "list" && !piece.stepList;
  const empty = seg.blocks.length === 0 && textOf(seg.field?.rest ?? []).trim() === "";
  return empty && ["list", "code", "paragraph"].includes(piece.node.type);
}

/** A prose field line (`**Note:** …`) as a block of text. */
function proseBlock(f: FieldPiece): BlockPiece {
  const inline: PhrasingContent[] = [{ type: "text", value: `${f.name}: ` }, ...f.rest];
  return { kind: "block", node: { type: "paragraph", children: inline }, md: f.lineMd, inline, steps: [] };
}

/** The field's plain-text value: the rest of its line and the blocks it took. */
export function segmentText(seg: Segment): string {
  const parts = [textOf(seg.field?.rest ?? [])];
  for (const b of seg.blocks) parts.push(textOf(b.inline ?? b.node));
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join("\n");
}

/** The field's value as markdown source. */
export function segmentMarkdown(seg: Segment): string {
  let md = seg.field?.restMd ?? "";
  for (const b of seg.blocks) {
    const sameParagraph = seg.field?.para !== undefined && b.node === seg.field.para;
    md = md ? `${md}${sameParagraph ? "\n" : "\n\n"}${b.md}` : b.md;
  }
  return md.trim();
}
