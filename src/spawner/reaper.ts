import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";

/**
 * What the reaper runs (`node -e`): it reads `+pgid` / `-pgid` lines from Orchard and, when its stdin
 * closes — Orchard is gone, however it died — SIGKILLs every group still listed.
 */
const REAPER_SOURCE = `
const groups = new Set();
let rest = "";
process.stdin.setEncoding("latin1");
process.stdin.on("data", (chunk) => {
  const lines = (rest + chunk).split("\\n");
  rest = lines.pop();
  for (const l of lines) l[0] === "+" ? groups.add(Number(l.slice(1))) : groups.delete(Number(l.slice(1)));
});
process.stdin.on("end", () => {
  for (const g of groups) try { process.kill(-g, "SIGKILL"); } catch {}
});
`;

let reaper: ChildProcess | null = null;

/**
 * Children lead groups of their own, so a SIGKILLed Orchard (no exit hook runs) would leave its agents
 * running, writing into slots the next `resume` hands out again. One small process per Orchard watches
 * for that: started with the first group, in a session of its own (a terminal's signals do not reach
 * it), never keeping Orchard alive.
 */
export function reaperTrack(pgid: number): void {
  send(`+${pgid}\n`);
}

export function reaperForget(pgid: number): void {
  if (reaper) send(`-${pgid}\n`);
}

function send(line: string): void {
  if (!reaper) {
    const child = spawn(process.execPath, ["-e", REAPER_SOURCE], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
      // Flags meant for Orchard (inspectors, loaders, heap limits) are not the reaper's.
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    child.on("error", () => {});
    child.on("exit", () => {
      if (reaper === child) reaper = null;
    });
    child.stdin?.on("error", () => {});
    child.unref();
    (child.stdin as Socket | null)?.unref();
    reaper = child;
  }
  reaper.stdin?.write(line);
}
