import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpuTimes } from "./cpu.js";
import { runRow } from "./row.js";
import type { RowSpec } from "./scenarios.js";
import { round } from "./stats.js";
import type { RowResult } from "./summary.js";

/** Everything a process needs to run one row. */
export interface RowJob {
  scenario: string;
  spec: RowSpec;
  repo: string;
  repeats: number;
  warmup: boolean;
}

/** Runs the row in this process and reports this process's peak RSS with it. */
export async function runRowJob(job: RowJob, log: (line: string) => void = () => {}): Promise<RowResult> {
  const before = await cpuTimes();
  const result = await runRow(job.scenario, job.spec, job.repo, {
    repeats: job.repeats,
    warmup: job.warmup,
    onRepetition: (i, r) =>
      log(
        `  ${job.spec.name} rep ${i + 1}/${job.repeats}: completed ${round(r.completedMs)} ms, landed ${round(r.landedMs)} ms, ${r.executions} executions, ${r.status}`,
      ),
  });
  const after = await cpuTimes();
  const tasksRun = job.spec.tasks * (job.repeats + (job.warmup ? 1 : 0));
  return {
    ...result,
    // maxRSS is in kilobytes on Linux and macOS.
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    cpuPerTaskMs: {
      engine: round((after.selfMs - before.selfMs) / tasksRun, 1),
      children: round((after.childrenMs - before.childrenMs) / tasksRun, 1),
    },
  };
}

/** From src/ (under tsx) the child is a .ts file and needs the tsx loader; from dist/ it is plain .js. */
function childArgv(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  const child = fileURLToPath(new URL(fromSource ? "./row-child.ts" : "./row-child.js", import.meta.url));
  return fromSource ? ["--import", "tsx", child] : [child];
}

/** Runs the row in a child process of its own (see row-child.ts); its stderr is passed to `log`. */
export function runRowInChild(
  job: RowJob,
  log: (line: string) => void,
  timeoutMs = 30 * 60_000,
): Promise<RowResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [...childArgv(), JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    let out = "";
    let err = "";
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) log(line);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last) as RowResult);
      else reject(new Error(`benchmark row ${job.spec.name} exited ${code ?? signal}: ${err.slice(-2000)}`));
    });
  });
}
