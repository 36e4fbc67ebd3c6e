import { fieldKey } from "./fields.js";
import type { BatchSection } from "./outline.js";
import { splitPieces } from "./pieces.js";
import { BATCH_PREFIX, doneMark, parseMode, parseRefs } from "./refs.js";
import { segment, segmentText } from "./segments.js";
import { posOf, type Source } from "./source.js";
import { type BatchId, batchId, type PlanBatch, type PlanWarning, type SourcePos } from "./types.js";

export interface BuiltBatch {
  batch: PlanBatch;
  /** Where its Dependencies line is (or its heading), for PLAN_UNKNOWN_BATCH. */
  dependsAt: SourcePos;
}

/** Reads a batch heading and the fields under it. Tasks are added by the caller. */
export function buildBatch(
  section: BatchSection,
  index: number,
  previous: BatchId | undefined,
  src: Source,
  warn: (w: PlanWarning) => void,
): BuiltBatch {
  const { head } = section;
  const label = `Batch ${head.id}`;
  const batch: PlanBatch = {
    id: batchId(head.id),
    title: doneMark(head.title).title,
    index,
    pos: posOf(head.node),
    // No Dependencies line: the batch before it.
    dependsOn: previous === undefined ? [] : [previous],
    tasks: [],
    implicit: false,
  };
  let dependsAt = batch.pos;
  const pieces = splitPieces(
    section.preamble,
    src,
    (name) => fieldKey(name) === "depends" || fieldKey(name) === "mode",
  );
  const segments = segment(pieces, (f) =>
    warn({
      code: "UNKNOWN_FIELD",
      message: `${label}: unknown field "${f.name}" is ignored (batches read Dependencies and Execution Mode)`,
      pos: f.pos,
    }),
  );
  for (const seg of segments) {
    if (!seg.field) continue;
    const key = fieldKey(seg.field.name);
    const text = segmentText(seg);
    if (key === "depends") {
      const refs = parseRefs(text, BATCH_PREFIX);
      batch.dependsOn = refs.ids.map(batchId);
      dependsAt = seg.field.pos;
      for (const part of refs.unreadable) {
        warn({
          code: "UNREADABLE_DEPENDENCY",
          message: `${label}: cannot read "${part}" as a batch; write "None" or "Batch 1, Batch 2"`,
          pos: seg.field.pos,
        });
      }
    } else if (key === "mode") {
      const mode = parseMode(text);
      if (mode) batch.executionMode = mode;
      else {
        warn({
          code: "UNKNOWN_EXECUTION_MODE",
          message: `${label}: execution mode "${text}" is not "local" or "parallel"; ignored`,
          pos: seg.field.pos,
        });
      }
    }
  }
  return { batch, dependsAt };
}
