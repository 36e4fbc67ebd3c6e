import type { Heading, RootContent } from "mdast";
import { textOf } from "./text.js";

export interface SectionHeading {
  kind: "batch" | "task";
  id: string;
  title: string;
  node: Heading;
}

export interface BatchSection {
  head: SectionHeading;
  /** Blocks between the batch heading and its first task: its fields and description. */
  preamble: RootContent[];
}

export interface TaskSection {
  head: SectionHeading;
  blocks: RootContent[];
  /** Index of its batch among the batch headings, or undefined when no batch heading came before it. */
  batch?: number;
}

/** What the outline hands over, each section as soon as it is complete, in document order. */
export interface OutlineSink {
  batch(section: BatchSection): void;
  task(section: TaskSection): void;
}

/** What is known once every block has been seen. */
export interface OutlineEnd {
  /** Blocks before the first batch or task heading. */
  preamble: RootContent[];
  firstBatch?: Heading;
  firstTask?: Heading;
}

// "Task 1.1: Title", "Task 3a — Title", "✅ Task 2. Title"; ids start with a digit so that
// headings such as "Task Overview" stay plain headings.
const HEAD =
  /^[^\p{L}\p{N}]*(task|batch|phase)\s+(\d[A-Za-z0-9]*(?:[.-][A-Za-z0-9]+)*)\s*(?:[:.)\-–—]\s*)?(.*)$/iu;

export function classifyHeading(node: Heading): SectionHeading | undefined {
  const m = HEAD.exec(textOf(node).trim());
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase() === "task" ? "task" : "batch";
  return { kind, id: m[2]!, title: m[3]!.trim(), node };
}

/**
 * Cuts the top-level blocks into sections. A task runs until the next batch or task heading, or a heading
 * no deeper than its own; a batch's preamble runs until its first task, the next batch heading or a
 * heading no deeper than its own. Sections go to `sink` as they end, so a caller can read each one while
 * the rest of the document is still being parsed.
 */
export function walkOutline(pieces: Iterable<RootContent[]>, sink: OutlineSink): OutlineEnd {
  const end: OutlineEnd = { preamble: [] };
  let task: TaskSection | undefined;
  let batch: BatchSection | undefined; // the batch whose preamble is still being read
  let batches = 0;
  let started = false;
  const endTask = () => {
    if (task) sink.task(task);
    task = undefined;
  };
  const endBatch = () => {
    if (batch) sink.batch(batch);
    batch = undefined;
  };
  for (const nodes of pieces) {
    for (const node of nodes) {
      const head = node.type === "heading" ? classifyHeading(node) : undefined;
      if (head) {
        endTask();
        endBatch();
        started = true;
        if (head.kind === "batch") {
          batch = { head, preamble: [] };
          batches++;
          end.firstBatch ??= node as Heading;
        } else {
          task = { head, blocks: [], ...(batches > 0 ? { batch: batches - 1 } : {}) };
          end.firstTask ??= node as Heading;
        }
        continue;
      }
      if (node.type === "heading") {
        if (task && node.depth <= task.head.node.depth) endTask();
        if (batch && node.depth <= batch.head.node.depth) endBatch();
      }
      if (task) task.blocks.push(node);
      else if (batch) batch.preamble.push(node);
      else if (!started) end.preamble.push(node);
    }
  }
  endTask();
  endBatch();
  return end;
}
