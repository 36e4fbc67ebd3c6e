import { usageError } from "../errors.js";
import type { Plan } from "../plan/types.js";
import type { RunOptions } from "./options.js";

/** Tasks that start out done: completed in the plan, or outside `--start-batch`/`--end-batch`. */
export function presatisfiedTasks(plan: Plan, options: RunOptions): Map<string, string> {
  const out = new Map<string, string>();
  const batchNumber = batchNumbers(plan);
  for (const t of plan.tasks) {
    const n = batchNumber.get(t.batch) ?? 1;
    if (t.skip) out.set(t.id, "already completed in the plan");
    else if (options.startBatch !== undefined && n < options.startBatch)
      out.set(t.id, `before --start-batch ${options.startBatch}`);
    else if (options.endBatch !== undefined && n > options.endBatch)
      out.set(t.id, `after --end-batch ${options.endBatch}`);
  }
  return out;
}

/** The number `--start-batch`/`--end-batch` give each batch of the plan: its id when numeric, else its place. */
export function batchNumbers(plan: Plan): Map<string, number> {
  return new Map(
    plan.batches.map((b) => [b.id as string, Number.isFinite(Number(b.id)) ? Number(b.id) : b.index + 1]),
  );
}

/** A batch range that selects none of the plan's batches is a mistake, not a run that does nothing. */
export function assertBatchRange(plan: Plan, { startBatch: start, endBatch: end }: RunOptions): void {
  if (start === undefined && end === undefined) return;
  if (start !== undefined && end !== undefined && start > end) {
    throw usageError(`--start-batch ${start} is after --end-batch ${end}: no batch is in between`);
  }
  const numbers = [...new Set(batchNumbers(plan).values())].sort((a, b) => a - b);
  if (numbers.some((n) => (start ?? n) <= n && n <= (end ?? n))) return;
  const chosen = [
    start === undefined ? "" : `--start-batch ${start}`,
    end === undefined ? "" : `--end-batch ${end}`,
  ];
  const contiguous = numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
  const range = numbers.length > 1 && contiguous ? `${numbers[0]} to ${numbers.at(-1)}` : numbers.join(", ");
  throw usageError(
    `${chosen.filter(Boolean).join(" ")} selects no batch of the plan: its batches are numbered ${range}`,
  );
}
