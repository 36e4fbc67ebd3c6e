import { type BuiltBatch, buildBatch } from "./batch.js";
import { PlanError } from "./errors.js";
import { inferFileDependencies } from "./infer.js";
import { parseBlocks } from "./markdown.js";
import { outline } from "./outline.js";
import { readPreamble } from "./preamble.js";
import { Source } from "./source.js";
import { type BuiltTask, buildTask } from "./task.js";
import type { Plan, PlanWarning } from "./types.js";
import { batchId } from "./types.js";
import { validate } from "./validate.js";

export interface ParseOptions {
  /** The file name used in errors and kept as `plan.source`. */
  source?: string;
}

/**
 * Reads a markdown plan, batched (`## Batch N` holding `### Task N.M`) or flat (`### Task N` only).
 * Pure; throws PlanError with the line to fix; odd but usable input becomes `warnings`.
 */
export function parsePlan(text: string, opts: ParseOptions = {}): Plan {
  const file = opts.source;
  const src = new Source(text.replace(/^\uFEFF/, ""));
  const sections = outline(parseBlocks(src.text, src.lineStarts));
  if (sections.tasks.length === 0) {
    throw new PlanError(
      "PLAN_NO_TASKS",
      'no tasks found: add task sections such as "### Task 1: Title", or "## Batch 1: Title" holding "### Task 1.1: Title"',
      { line: 1, column: 1 },
      file,
    );
  }
  const warnings: PlanWarning[] = [];
  const warn = (w: PlanWarning) => warnings.push(w);
  const first = sections.batches[0]?.head.node ?? sections.tasks[0]?.head.node;
  const head = readPreamble(sections.preamble, first, src);

  const batched = sections.batches.length > 0;
  const built: BuiltBatch[] = [];
  sections.batches.forEach((section, i) => {
    built.push(buildBatch(section, i, built[i - 1]?.batch.id, src, warn));
  });
  if (!batched) {
    const pos = sections.tasks[0]!.head.node.position?.start;
    built.push({
      batch: {
        id: batchId("1"),
        title: head.title ?? "Tasks",
        index: 0,
        pos: { line: pos?.line ?? 1, column: pos?.column ?? 1 },
        dependsOn: [],
        tasks: [],
        implicit: true,
      },
      dependsAt: { line: 1, column: 1 },
    });
  }

  const tasks: BuiltTask[] = sections.tasks.map((section, index) => {
    if (section.batch === undefined && batched) {
      warn({
        code: "TASK_OUTSIDE_BATCH",
        message: `Task ${section.head.id} comes before the first batch heading; it is put in the first batch`,
        pos: { line: section.head.node.position?.start.line ?? 1, column: 1 },
      });
    }
    const owner = built[section.batch ?? 0]!.batch;
    const t = buildTask(section, owner.id, index, src, warn, file);
    owner.tasks.push(t.task.id);
    return t;
  });
  for (const b of built) {
    if (b.batch.tasks.length === 0) {
      warn({ code: "BATCH_NO_TASKS", message: `Batch ${b.batch.id} has no tasks`, pos: b.batch.pos });
    }
  }

  const plan: Plan = {
    shape: batched ? "batched" : "flat",
    ...head,
    batches: built.map((b) => b.batch),
    tasks: tasks.map((t) => t.task),
    warnings,
  };
  if (file !== undefined) plan.source = file;
  const order = validate(plan, built, tasks, file);
  if (!batched) inferFileDependencies(order);
  warnings.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0));
  return plan;
}
