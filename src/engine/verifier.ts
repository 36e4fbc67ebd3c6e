import { type Confine, runProcess } from "../agent/index.js";

export interface VerifyResult {
  ok: boolean;
  /** The first command that failed, and why. */
  failure?: { command: string; reason: string };
  durationMs: number;
  /** A command left part of its process group running (see `ProcessResult.groupLeft`). */
  groupLeft: boolean;
}

/**
 * Runs a task's verification commands in its slot, one after another, stopping at the first failure.
 * The commands are shell lines written in the plan (`cat "a b.txt"`, pipes …), so each runs as
 * `bash -c <line>`: an argv array whose one script argument is the plan's text, as the plan's author meant it.
 */
export async function verify(
  commands: readonly string[],
  opts: {
    cwd: string;
    env: Record<string, string>;
    timeoutMs: number;
    logPath: string;
    signal?: AbortSignal;
    /** Confines each command to the slot (`--mode sandbox`). */
    confine?: Confine;
  },
): Promise<VerifyResult> {
  const started = Date.now();
  let groupLeft = false;
  for (const command of commands) {
    let lastLine = "";
    const shell = { argv: ["bash", "-c", command], env: opts.env };
    const { argv, env } = opts.confine ? opts.confine(shell) : shell;
    const result = await runProcess({
      argv,
      cwd: opts.cwd,
      env,
      timeoutMs: opts.timeoutMs,
      logPath: opts.logPath,
      signal: opts.signal,
      onLine: (line) => {
        if (line.trim()) lastLine = line.trim();
      },
    });
    groupLeft ||= result.groupLeft === true;
    if (result.exitCode !== 0) {
      const why = result.timedOut
        ? `timed out after ${Math.round(opts.timeoutMs / 1000)} s`
        : result.spawnError
          ? `could not start: ${result.spawnError}`
          : result.exitCode === null
            ? `killed by ${result.signal ?? "a signal"}`
            : `exited with code ${result.exitCode}${lastLine ? `: ${lastLine.slice(0, 200)}` : ""}`;
      return { ok: false, failure: { command, reason: why }, durationMs: Date.now() - started, groupLeft };
    }
  }
  return { ok: true, durationMs: Date.now() - started, groupLeft };
}
