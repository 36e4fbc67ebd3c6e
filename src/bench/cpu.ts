import { readFile } from "node:fs/promises";

/** CPU time of this process and of its finished children (git, agents), in ms. */
export interface CpuTimes {
  selfMs: number;
  childrenMs: number;
}

/**
 * Node reports only its own CPU; the children's comes from /proc/self/stat (cutime + cstime, in clock
 * ticks of 10 ms on Linux). Elsewhere children count as 0 and the report says "—".
 */
export async function cpuTimes(): Promise<CpuTimes> {
  const own = process.cpuUsage();
  const selfMs = (own.user + own.system) / 1000;
  try {
    const stat = await readFile("/proc/self/stat", "utf8");
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[13]) + Number(fields[14]);
    return { selfMs, childrenMs: Number.isFinite(ticks) ? ticks * 10 : Number.NaN };
  } catch {
    return { selfMs, childrenMs: Number.NaN };
  }
}
