import { killGroup } from "./kill.js";
import { reaperForget, reaperTrack } from "./reaper.js";

/**
 * Process groups that may still be alive. Orchard kills them when it exits, and the reaper when Orchard
 * is killed outright, so no child outlives the process that started it (invariant 4).
 */
const live = new Set<number>();
let hooked = false;

export function registerGroup(pid: number): void {
  live.add(pid);
  reaperTrack(pid);
  if (!hooked) {
    hooked = true;
    // Only synchronous work is possible in 'exit'; kill(2) is synchronous, so this is enough.
    process.on("exit", () => killAllChildren("SIGKILL"));
  }
}

export function unregisterGroup(pid: number): void {
  if (live.delete(pid)) reaperForget(pid);
}

/** Signals every live child group; returns how many groups were signalled. For signal handlers. */
export function killAllChildren(signal: NodeJS.Signals = "SIGTERM"): number {
  let n = 0;
  for (const pid of live) if (killGroup(pid, signal)) n++;
  if (signal === "SIGKILL") live.clear();
  return n;
}

/** How many child groups are registered as live (for tests and diagnostics). */
export const liveGroupCount = (): number => live.size;
