import { randomBytes } from "node:crypto";
import type { RunId } from "../store/types.js";

/** `exec_` + UTC date + random: sortable by creation, unique across machines. */
export function newRunId(now = new Date()): RunId {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `exec_${stamp}_${randomBytes(3).toString("hex")}` as RunId;
}

/** git cannot hold both `orchard/<run>` and `orchard/<run>/…`, hence the two sub-namespaces. */
export const integrationBranch = (runId: string) => `orchard/${runId}/integration`;
export const taskBranch = (runId: string, taskId: string) => `orchard/${runId}/tasks/${taskId}`;
export const headsRef = (branch: string) => `refs/heads/${branch}`;
