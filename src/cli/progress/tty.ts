import { createLogUpdate } from "log-update";
import type { EngineEvent } from "../../engine/index.js";
import { duration, truncate, usd } from "../format.js";
import { describe } from "./plain.js";

interface Active {
  taskId: string;
  title: string;
  slot: string;
  attempt: number;
  since: number;
  phase: string;
}

/**
 * Live progress on a terminal: counts, spend, and one line per busy slot with its task and elapsed
 * time, redrawn in place; notable events (failures, landings) scroll above it.
 */
export function ttyProgress(
  out: NodeJS.WritableStream & { columns?: number },
  titles: ReadonlyMap<string, string>,
  total: number,
) {
  const draw = createLogUpdate(out as NodeJS.WriteStream, { showCursor: true });
  const active = new Map<string, Active>();
  // Tasks sent back after a merge conflict: their next attempt is a re-run on the new head, not a retry.
  const conflicted = new Map<string, string[]>();
  let resumed = false;
  const counts = { landed: 0, failed: 0, skipped: 0, completed: 0 };
  let spent = 0;
  const started = Date.now();
  const width = () => Math.max(40, (out.columns ?? 100) - 1);

  const render = () => {
    const head = `orchard${resumed ? " (resumed)" : ""}  ${counts.landed}/${total} landed  ${counts.completed} awaiting merge  ${counts.failed} failed  ${counts.skipped} skipped  ${duration(Date.now() - started)}${spent ? `  ${usd(spent)}` : ""}`;
    const lines = [head];
    for (const a of [...active.values()].sort((x, y) =>
      x.slot.localeCompare(y.slot, "en", { numeric: true }),
    )) {
      const files = conflicted.get(a.taskId);
      const extra = files
        ? ` (re-run after a conflict in ${files.join(", ") || "the merge"})`
        : a.attempt > 1
          ? ` (attempt ${a.attempt})`
          : "";
      lines.push(
        truncate(
          `  ${a.slot.padEnd(6)} ${a.taskId.padEnd(6)} ${duration(Date.now() - a.since).padStart(8)}  ${a.phase.padEnd(9)} ${a.title}${extra}`,
          width(),
        ),
      );
    }
    draw(lines.join("\n"));
  };
  const timer = setInterval(render, 250);
  timer.unref();

  const onEvent = (e: EngineEvent) => {
    switch (e.type) {
      case "run:started":
        // A resumed run counts what is left to do; the plan's titles may not be known to the caller.
        if (e.resumed || total === 0) total = e.tasks;
        resumed = e.resumed;
        break;
      case "task:conflict":
        if (e.willRetry) conflicted.set(e.taskId, e.files);
        counts.completed = Math.max(0, counts.completed - 1);
        break;
      case "task:started":
        active.set(e.taskId, {
          taskId: e.taskId,
          title: titles.get(e.taskId) ?? "",
          slot: e.slot,
          attempt: e.attempt,
          since: Date.now(),
          phase: "agent",
        });
        break;
      case "task:verifying": {
        const a = active.get(e.taskId);
        if (a) a.phase = "verifying";
        break;
      }
      case "task:completed":
        active.delete(e.taskId);
        counts.completed++;
        if (e.usage?.costUsd) spent += e.usage.costUsd;
        break;
      case "task:attempt-failed":
        active.delete(e.taskId);
        break;
      case "task:landed":
        counts.landed++;
        counts.completed = Math.max(0, counts.completed - 1);
        break;
      case "task:failed":
        counts.failed++;
        break;
      case "task:skipped":
        counts.skipped++;
        break;
      default:
        break;
    }
    if (
      e.type === "task:attempt-failed" ||
      e.type === "task:failed" ||
      e.type === "task:conflict" ||
      e.type === "task:skipped"
    ) {
      const line = describe(e);
      if (line) {
        draw.clear();
        out.write(`${line}\n`);
      }
    }
    render();
  };
  return {
    onEvent,
    stop() {
      clearInterval(timer);
      render();
      draw.done();
    },
  };
}
