import type { EngineEvent } from "../../engine/index.js";
import { duration, short } from "../format.js";
import { println } from "../io.js";

/** One plain line per thing that happened: for logs, CI and anything that is not a terminal. */
export function plainProgress(out: NodeJS.WritableStream): (e: EngineEvent) => void {
  return (e) => {
    const line = describe(e);
    if (line) println(out, `${new Date().toISOString().slice(11, 19)} ${line}`);
  };
}

export function describe(e: EngineEvent): string | null {
  switch (e.type) {
    case "run:started":
      return `run ${e.runId} ${e.resumed ? "resumed" : "started"}: ${e.tasks} task(s), ${e.workers} worker(s)`;
    case "task:started":
      return `task ${e.taskId} started in ${e.slot} (attempt ${e.attempt})`;
    case "task:completed":
      return `task ${e.taskId} completed${e.commit ? ` at ${short(e.commit)}` : " (no changes)"}`;
    case "task:attempt-failed":
      return `task ${e.taskId} attempt ${e.attempt} failed: ${e.reason}${e.willRetry ? " (will retry)" : ""}`;
    case "task:landed":
      return `task ${e.taskId} landed at ${short(e.commit)}`;
    case "task:conflict":
      return `task ${e.taskId} conflicts in ${e.files.join(", ")}${e.willRetry ? "; re-running on the new head" : ""}`;
    case "task:failed":
      return `task ${e.taskId} FAILED: ${e.reason}`;
    case "task:skipped":
      return `task ${e.taskId} skipped: ${e.reason}`;
    case "task:cancelled":
      return `task ${e.taskId} cancelled`;
    case "spend:limit-reached":
      return `spend limit reached: $${e.spentUsd.toFixed(4)} of $${e.limitUsd}`;
    case "run:interrupted":
      return `run ${e.runId} interrupted: ${e.reason}`;
    case "engine:error":
      return `error in ${e.where}: ${e.message} (retrying)`;
    case "forge:pull": {
      const what = e.taskId ? `task ${e.taskId}` : "run";
      const state = e.state === "blocked" ? `not merged: ${e.reason ?? ""}` : e.state;
      return `${what} pull request #${e.number} ${e.reused ? "(found) " : ""}${state} ${e.url}`;
    }
    case "run:finished":
      return `run ${e.runId} ${e.status} in ${duration(e.durationMs)}${e.reason ? `: ${e.reason}` : ""}`;
    default:
      return null;
  }
}
