import { readFile } from "node:fs/promises";

/** CPU time of this process and of the processes it ran (git, agents), in ms. */
export interface CpuTimes {
  selfMs: number;
  childrenMs: number;
}

/**
 * Node reports only its own CPU; the rest comes from /proc (Linux, clock ticks of 10 ms): this
 * process's finished children (cutime + cstime: git and the agents). Elsewhere children count as 0 and
 * the report says "—".
 */
export async function cpuTimes(): Promise<CpuTimes> {
  const own = process.cpuUsage();
  const selfMs = (own.user + own.system) / 1000;
  try {
    const ticks = (await statTicks("self")).children;
    return { selfMs, childrenMs: Number.isFinite(ticks) ? ticks * 10 : Number.NaN };
  } catch {
    return { selfMs, childrenMs: Number.NaN };
  }
}

async function statTicks(pid: string): Promise<{ own: number; children: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at field 3: utime is field 14.
  const f = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return {
    own: (f[11] ?? Number.NaN) + (f[12] ?? Number.NaN),
    children: (f[13] ?? Number.NaN) + (f[14] ?? Number.NaN),
  };
}
