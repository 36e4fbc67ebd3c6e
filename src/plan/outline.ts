import type { Heading, RootContent } from "mdast";
import { toString as textOf } from "mdast-util-to-string";

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
  /** Index into the outline's batches, or undefined when no batch heading came before it. */
  batch?: number;
}

export interface Outline {
  /** Blocks before the first batch or task heading. */
  preamble: RootContent[];
  batches: BatchSection[];
  tasks: TaskSection[];
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
 * no deeper than its own; a batch runs until the next batch heading.
 */
export function outline(nodes: RootContent[]): Outline {
  const out: Outline = { preamble: [], batches: [], tasks: [] };
  let task: TaskSection | undefined;
  let batchOpen = false; // still reading the current batch's preamble
  let started = false;
  for (const node of nodes) {
    const head = node.type === "heading" ? classifyHeading(node) : undefined;
    if (head?.kind === "batch") {
      out.batches.push({ head, preamble: [] });
      task = undefined;
      batchOpen = true;
      started = true;
      continue;
    }
    if (head?.kind === "task") {
      const batch = out.batches.length > 0 ? out.batches.length - 1 : undefined;
      task = { head, blocks: [], ...(batch !== undefined ? { batch } : {}) };
      out.tasks.push(task);
      batchOpen = false;
      started = true;
      continue;
    }
    if (task && node.type === "heading" && node.depth <= task.head.node.depth) task = undefined;
    const batch = out.batches.at(-1);
    if (batchOpen && batch && node.type === "heading" && node.depth <= batch.head.node.depth)
      batchOpen = false;
    if (task) task.blocks.push(node);
    else if (batchOpen && batch) batch.preamble.push(node);
    else if (!started) out.preamble.push(node);
  }
  return out;
}
