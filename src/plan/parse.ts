import { type BuiltBatch, buildBatch } from "./batch.js";
import { strayFences } from "./cuts.js";
import { PlanError } from "./errors.js";
import { inferFileDependencies } from "./infer.js";
import { blockPieces } from "./markdown.js";
import { walkOutline } from "./outline.js";
import { readPreamble } from "./preamble.js";
import { doneMark } from "./refs.js";
import { posOf, Source } from "./source.js";
import { type BuiltTask, buildTask } from "./task.js";
import { textOf } from "./text.js";
import type { Plan, PlanWarning } from "./types.js";
import { batchId } from "./types.js";
import { validate } from "./validate.js";

/** "Tasks 3.4-3.15: Remaining migrations", "Tasks 5–9". */
const TASK_RANGE = /^[^\p{L}\p{N}]*tasks\s+[A-Za-z]{0,3}\d[\w.]*\s*(?:[-–—]|to|through)\s*[A-Za-z]{0,3}\d/iu;

export interface ParseOptions {
  /** The file name used in errors and kept as `plan.source`. */
  source?: string;
}

/** A task read before any batch heading: its batch is known only at the end. */
interface EarlyTask {
  built: BuiltTask;
  warnings: PlanWarning[];
}

/**
 * Reads a markdown plan, batched (`## Batch N` holding `### Task N.M`) or flat (`### Task N` only).
 * Pure; throws PlanError with the line to fix; odd but usable input becomes `warnings`.
 *
 * Each section is read as soon as the markdown parser has produced it, so that the syntax trees of a
 * large plan die young instead of all living until the end (see markdown.ts).
 */
export function parsePlan(text: string, opts: ParseOptions = {}): Plan {
  const file = opts.source;
  const src = new Source(text.replace(/^\uFEFF/, ""));
  const warnings: PlanWarning[] = [];
  const warn = (w: PlanWarning) => warnings.push(w);
  const built: BuiltBatch[] = [];
  const tasks: BuiltTask[] = [];
  const early: EarlyTask[] = [];
  // Batches whose heading says they are done ("## Phase 1 ✅ COMPLETE"): their tasks are skipped.
  const doneBatches = new Set<number>();

  const stray = strayFences(src.text, src.lineStarts);
  for (const line of stray) {
    warn({
      code: "STRAY_FENCE",
      message: `the code fence on line ${line + 1} would open a block that hides the task heading after it (a fence nested in a heredoc closed the block before it early); it is read as the end of that block: indent the nested fence or use ~~~ for the outer block`,
      pos: { line: line + 1, column: 1 },
    });
  }
  const end = withFile(file, () =>
    walkOutline(blockPieces(src.text, src.lineStarts, undefined, undefined, true, stray), {
      batch: (section) => {
        if (doneMark(section.head.title).done) doneBatches.add(built.length);
        built.push(buildBatch(section, built.length, built.at(-1)?.batch.id, src, warn));
      },
      heading: (node) => {
        const text = textOf(node).trim();
        if (TASK_RANGE.test(text)) {
          warn({
            code: "TASK_RANGE_HEADING",
            message: `"${text.slice(0, 80)}" names a range of tasks that are not written out; read as a note: give each task its own "### Task N" heading to run it`,
            pos: posOf(node),
          });
        }
      },
      task: (section) => {
        if (section.batch === undefined) {
          const own: PlanWarning[] = [];
          const t = buildTask(section, batchId("1"), tasks.length, src, (w) => own.push(w), file);
          early.push({ built: t, warnings: own });
          tasks.push(t);
          return;
        }
        const owner = built[section.batch]!.batch;
        const t = buildTask(section, owner.id, tasks.length, src, warn, file);
        if (doneBatches.has(section.batch)) t.task.skip = true;
        owner.tasks.push(t.task.id);
        tasks.push(t);
      },
    }),
  );
  dropRepeatedBatches(built, warn);
  if (!end.firstTask) {
    throw new PlanError(
      "PLAN_NO_TASKS",
      'no tasks found: add task sections such as "### Task 1: Title", or "## Batch 1: Title" holding "### Task 1.1: Title"',
      { line: 1, column: 1 },
      file,
    );
  }
  const head = readPreamble(end.preamble, end.firstBatch ?? end.firstTask, src);

  const batched = built.length > 0;
  if (!batched) {
    const pos = end.firstTask.position?.start;
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
  // Tasks before the first batch heading go to the first batch, ahead of its own tasks.
  const first = built[0]!.batch;
  for (const { built: t, warnings: own } of early) {
    if (batched) {
      warn({
        code: "TASK_OUTSIDE_BATCH",
        message: `Task ${t.task.id} comes before the first batch heading; it is put in the first batch`,
        pos: { line: t.task.pos.line, column: 1 },
      });
    }
    for (const w of own) warn(w);
    t.task.batch = first.id;
  }
  first.tasks.unshift(...early.map((e) => e.built.task.id));
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

/**
 * A batch heading named again later with no tasks under it (a recap, a summary, "Batch execution
 * instructions") is a note to a reader, not a second batch: it is dropped with a warning. Named again
 * with tasks under it, it is still a duplicate (validate.ts).
 */
function dropRepeatedBatches(built: BuiltBatch[], warn: (w: PlanWarning) => void): void {
  const seen = new Map<string, BuiltBatch>();
  let kept = 0;
  for (const b of built) {
    const first = seen.get(b.batch.id);
    if (first && b.batch.tasks.length === 0) {
      warn({
        code: "BATCH_REPEATED",
        message: `Batch ${b.batch.id} is named again at line ${b.batch.pos.line} (first at line ${first.batch.pos.line}) with no tasks under it; read as a note`,
        pos: b.batch.pos,
      });
      continue;
    }
    if (!first) seen.set(b.batch.id, b);
    b.batch.index = kept;
    built[kept++] = b;
  }
  built.length = kept;
}

/** Errors from the markdown reader (limits.ts) know their line but not the file name. */
function withFile<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PlanError && err.file === undefined && file !== undefined) {
      throw new PlanError(err.code, err.message, err.pos, file);
    }
    throw err;
  }
}
