import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Set in every child's environment with a value of its own: its descendants inherit it wherever they
 * go — a new session (`setsid`), a new group, reparented to init — so /proc finds them by it.
 */
export const TRACE_VAR = "ORCHARD_TRACE";

export interface Escapee {
  pid: number;
  /** Its command line, shortened, for the report. */
  command: string;
}

/**
 * Live processes of this machine that carry `tag` but are no longer in process group `pgid`: they left
 * it (setsid, setpgid), so killing the group missed them. Linux only (/proc); elsewhere none are found.
 * Processes that cleared their environment are not found.
 */
export async function findEscaped(tag: string, pgid: number): Promise<Escapee[]> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return [];
  }
  const needle = `${TRACE_VAR}=${tag}\0`;
  const found = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map((e) => escapee(Number(e), needle, pgid)),
  );
  return found.filter((e): e is Escapee => e !== null);
}

async function escapee(pid: number, needle: string, pgid: number): Promise<Escapee | null> {
  if (pid === process.pid) return null;
  try {
    const environ = await readFile(`/proc/${pid}/environ`, "latin1");
    if (!environ.startsWith(needle) && !environ.includes(`\0${needle}`)) return null;
    const stat = await readFile(`/proc/${pid}/stat`, "latin1");
    // After the command name (which may hold spaces and parentheses): state, ppid, pgrp, session, …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z" || Number(pgrp) === pgid) return null;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return { pid, command: cmdline.replaceAll("\0", " ").trim().slice(0, 120) };
  } catch {
    // Gone meanwhile, or another user's (EACCES): not ours to report.
    return null;
  }
}

/**
 * Ends the processes that escaped group `pgid`: TERM, then KILL to those still there after `graceMs`
 * (found again by their tag, so a pid reused meanwhile is never signalled). Returns what was found.
 */
export async function killEscaped(tag: string, pgid: number, graceMs: number): Promise<Escapee[]> {
  const found = await findEscaped(tag, pgid);
  if (found.length === 0) return found;
  for (const p of found) signal(p.pid, "SIGTERM");
  const until = Date.now() + graceMs;
  let left = found;
  while (left.length > 0 && Date.now() < until) {
    await sleep(100);
    left = await findEscaped(tag, pgid);
  }
  for (const p of left) signal(p.pid, "SIGKILL");
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
