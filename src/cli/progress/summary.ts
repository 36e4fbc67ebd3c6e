import Table from "cli-table3";
import type { RunResult } from "../../engine/index.js";
import type { AttemptRecord, TaskRecord } from "../../store/types.js";
import { duration, short, truncate, usd } from "../format.js";

/** The table printed when a run ends: one row per task, with why anything did not land. */
export function summaryTable(
  tasks: readonly TaskRecord[],
  attempts: readonly AttemptRecord[],
  color: boolean,
  columns = 100,
): string {
  // Fixed columns, then the reason takes what the terminal has left (at least 24).
  const fixed = [8, 24, 11, 7, 9, 9];
  const rest = Math.max(24, columns - fixed.reduce((a, b) => a + b, 0) - fixed.length - 2);
  const table = new Table({
    head: ["task", "title", "status", "tries", "time", "cost", "commit / reason"],
    style: { head: color ? ["cyan"] : [], border: color ? ["grey"] : [], compact: true },
    wordWrap: true,
    colWidths: [...fixed, rest],
  });
  for (const t of tasks) {
    const mine = attempts.filter((a) => a.taskId === t.taskId);
    const ms = mine.reduce((sum, a) => sum + ((a.finishedAt ?? a.startedAt) - a.startedAt), 0);
    const cost = mine.reduce((sum, a) => sum + (a.usage?.costUsd ?? 0), 0);
    const rerun = t.conflictRetries > 0 ? `re-run ${t.conflictRetries}× after a merge conflict` : "";
    const outcome = t.status === "landed" ? short(t.landedCommit) : (t.reason ?? "");
    const detail = [outcome, rerun].filter(Boolean).join("; ");
    table.push([
      t.taskId,
      truncate(t.title, 22),
      t.status,
      String(mine.length),
      mine.length ? duration(ms) : "",
      usd(cost),
      detail,
    ]);
  }
  return table.toString();
}

export function resultLines(result: RunResult): string[] {
  const lines = [
    `run ${result.runId}: ${result.status}${result.reason ? ` (${result.reason})` : ""} in ${duration(result.durationMs)}`,
  ];
  lines.push(`integration branch: ${result.integrationBranch} at ${short(result.integrationHead)}`);
  if (result.into) lines.push(`--into: ${result.into.message}`);
  for (const pull of result.pulls ?? []) {
    const what = pull.taskId ? `task ${pull.taskId}` : "run";
    const state = pull.state === "blocked" ? `not merged: ${pull.reason ?? ""}` : pull.state;
    lines.push(`pull request #${pull.number} (${what}): ${state} ${pull.url}`);
  }
  if (result.status === "interrupted") lines.push(`resume with: orchard resume ${result.runId}`);
  return lines;
}

/**
 * 0 every task landed (with `--merge`, every pull request merged); 1 something failed or the run did not
 * finish; 130 stopped by Ctrl-C.
 */
export function exitCodeFor(result: RunResult, interruptedByUser: boolean): number {
  if (result.status === "succeeded") return result.pulls?.some((p) => p.state === "blocked") ? 1 : 0;
  if (result.status === "interrupted" && interruptedByUser) return 130;
  return 1;
}
