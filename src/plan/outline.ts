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
  /** A heading that is neither a batch nor a task. */
  heading?(node: Heading): void;
}

/** What is known once every block has been seen. */
export interface OutlineEnd {
  /** Blocks before the first batch or task heading. */
  preamble: RootContent[];
  firstBatch?: Heading;
  firstTask?: Heading;
}

// "Task 1.1: Title", "Task 3a — Title", "✅ Task 2. Title", "Task P1.2: Title"; ids hold a digit so that
// headings such as "Task Overview" stay plain headings.
const HEAD =
  /^[^\p{L}\p{N}]*(task|batch|phase|fase|sprint)\s+([A-Za-z]{0,3}\d[A-Za-z0-9]*(?:[.-][A-Za-z0-9]+)*)\s*(?:[:.)\-–—]\s*)?(.*)$/iu;

export function classifyHeading(node: Heading): SectionHeading | undefined {
  const text = textOf(node).trim();
  const m = HEAD.exec(text);
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase() === "task" ? "task" : "batch";
  // A mark before the word ("✅ Task 2: …") is kept on the title, where doneMark reads it.
  const lead = /^\s*(?:[✅✔☑]\uFE0F?|\[x\])/u.test(text) ? "✅ " : "";
  return { kind, id: m[2]!, title: lead + m[3]!.trim(), node };
}

/**
 * Cuts the top-level blocks into sections. A task runs until the next batch or task heading, or a heading
 * no deeper than its own; a batch's preamble runs until its first task, the next batch heading or a
 * heading no deeper than its own. Sections go to `sink` as they end, so a caller can read each one while
 * the rest of the document is still being parsed.
 */
// "### 1A. Remove the clone" under "## Phase 1": a task of that phase. Only a number with a letter and a
// stop: "### 1.1 Background" is how documents number their sections, and stays a heading.
const PHASE_ITEM = /^(\d+[A-Za-z])[.:)]\s+(\S.*)$/;

/** A numbered heading inside a batch whose number extends the batch's: read as one of its tasks. */
function phaseItem(node: Heading, batch: SectionHeading | undefined): SectionHeading | undefined {
  if (!batch || node.depth <= batch.node.depth) return undefined;
  const m = PHASE_ITEM.exec(textOf(node).trim());
  if (!m) return undefined;
  const id = m[1]!;
  if (id.slice(0, -1) !== batch.id) return undefined;
  return { kind: "task", id, title: m[2]!.trim(), node };
}

export function walkOutline(pieces: Iterable<RootContent[]>, sink: OutlineSink): OutlineEnd {
  const end: OutlineEnd = { preamble: [] };
  let task: TaskSection | undefined;
  let batch: BatchSection | undefined; // the batch whose preamble is still being read
  let batches = 0;
  let started = false;
  let lastBatch: SectionHeading | undefined; // the latest batch heading, for phaseItem
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
      const head =
        node.type === "heading"
          ? (classifyHeading(node) ??
            // Sub-headings of an open task stay its text ("### 6.1.1 …" under "## Task 6.1").
            (task && node.depth > task.head.node.depth ? undefined : phaseItem(node, lastBatch)))
          : undefined;
      if (head) {
        endTask();
        endBatch();
        started = true;
        if (head.kind === "batch") {
          lastBatch = head;
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
        sink.heading?.(node);
        if (lastBatch && node.depth <= lastBatch.node.depth) lastBatch = undefined;
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
