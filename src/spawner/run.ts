import type { ChildProcess } from "node:child_process";
import { killGroup } from "./kill.js";
import { registerGroup, unregisterGroup } from "./registry.js";
import { startChild } from "./start.js";

/** What one buffered run did; the same shape whether it succeeded, failed, timed out or never started. */
export interface SpawnResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed by a signal or could not start. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  timeoutMs: number;
}

/** After TERM, the group gets this long before KILL. */
const KILL_GRACE_MS = 2_000;

/**
 * Runs `file args` to the end and collects its output as text (git): in its own process group, which a
 * timeout kills whole — TERM, then KILL — so hooks, ssh and credential helpers die with it.
 */
export function runBuffered(file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  const started = performance.now();
  const result = (r: Partial<SpawnResult>): SpawnResult => ({
    stdout: "",
    stderr: "",
    exitCode: null,
    signal: null,
    timedOut: false,
    ...r,
    durationMs: performance.now() - started,
  });
  let child: ChildProcess;
  try {
    child = startChild(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdin: opts.input === undefined ? "ignore" : "pipe",
    });
  } catch (err) {
    return Promise.resolve(result({ stderr: (err as Error).message }));
  }
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const pid = child.pid;
    if (pid !== undefined) registerGroup(pid);
    const termTimer = setTimeout(() => {
      if (pid === undefined) return;
      timedOut = true;
      killGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(pid, "SIGKILL"), KILL_GRACE_MS);
    }, opts.timeoutMs);
    child.stdout?.on("data", (c: Buffer) => out.push(c));
    child.stderr?.on("data", (c: Buffer) => err.push(c));
    if (child.stdin) {
      // The child may exit without reading its input; EPIPE then is expected, not an error.
      child.stdin.on("error", () => {});
      child.stdin.end(opts.input);
    }
    let settled = false;
    const finish = (r: Partial<SpawnResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(termTimer);
      clearTimeout(killTimer);
      if (pid !== undefined) unregisterGroup(pid);
      resolve(result(r));
    };
    // A program that could not start (ENOENT, a missing cwd): no exit code, no signal, the reason as stderr.
    child.on("error", (e) => finish({ stderr: Buffer.concat(err).toString("utf8") || e.message }));
    child.on("close", (exitCode, signal) =>
      finish({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        signal,
        timedOut,
      }),
    );
  });
}
