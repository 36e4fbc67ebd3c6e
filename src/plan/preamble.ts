import type { RootContent } from "mdast";
import { fieldKey } from "./fields.js";
import { splitPieces } from "./pieces.js";
import { segment, segmentMarkdown } from "./segments.js";
import { endOffset, type Source, startOffset } from "./source.js";
import { textOf } from "./text.js";

export interface PlanHead {
  title?: string;
  goal?: string;
  architecture?: string;
  context: string;
}

/** Title, Goal, Architecture and the whole text before the first batch or task (without the title line). */
export function readPreamble(
  blocks: RootContent[],
  firstSection: RootContent | undefined,
  src: Source,
): PlanHead {
  const titleNode =
    blocks.find((b) => b.type === "heading" && b.depth === 1) ?? blocks.find((b) => b.type === "heading");
  const head: PlanHead = { context: "" };
  if (titleNode) head.title = textOf(titleNode).trim();
  const from = titleNode && titleNode === blocks[0] ? endOffset(titleNode) : 0;
  const to = firstSection ? startOffset(firstSection) : src.text.length;
  head.context = src.slice(from, Math.max(from, to)).trim();

  const pieces = splitPieces(blocks, src, () => false);
  for (const seg of segment(pieces, () => {})) {
    if (!seg.field) continue;
    const key = fieldKey(seg.field.name);
    if (key === "goal") head.goal = segmentMarkdown(seg);
    else if (key === "architecture") head.architecture = segmentMarkdown(seg);
  }
  return head;
}
