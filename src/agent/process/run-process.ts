import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { groupAlive, killEscaped, startChild, TRACE_VAR } from "../../spawner/index.js";
import { type LogSink, openLog } from "./log.js";
import { DEFAULT_KILL_GRACE_MS, type RunProcessOptions, type RunProcessResult } from "./options.js";
import { pipeOutput } from "./output.js";
import { secretScrubber } from "./redact.js";
import { GroupTerminator } from "./terminate.js";

type Ending = "timedOut" | "idleTimedOut" | "aborted";

/**
 * Runs one program in its own process group and resolves with the same result shape whether it
 * succeeded, failed, timed out or never started. It never rejects for the child's sake.
 *
 * node:child_process (src/spawner) rather than execa: we need `kill(-pgid)` for both TERM and the later
 * KILL (execa's forceKillAfterDelay signals only the leader), an idle timer reset on every chunk, and
 * streaming with backpressure to a log without buffering output.
 */
export async function runProcess(opts: RunProcessOptions): Promise<RunProcessResult> {
  const t0 = performance.now();
  const startedAt = Date.now();
  const base: RunProcessResult = {
    exitCode: null,
    signal: null,
    timedOut: false,
    idleTimedOut: false,
    aborted: false,
    spawnError: null,
    startedAt,
    spawnMs: 0,
    durationMs: 0,
  };
  const done = (extra: Partial<RunProcessResult>): RunProcessResult => ({
    ...base,
    ...extra,
    durationMs: Math.round(performance.now() - t0),
  });

  if (opts.argv.length === 0 || !opts.argv[0]) return done({ spawnError: "no command given" });
  if (opts.signal?.aborted) return done({ aborted: true });
  // spawn reports a missing cwd as ENOENT of the program, which would blame the wrong thing.
  const cwdOk = isDirectory(opts.cwd);
  if (!cwdOk) return done({ spawnError: `working directory does not exist: ${opts.cwd}` });

  const log = await openLog(opts.logPath, opts.argv, opts.cwd, opts.logMaxBytes);
  return new Promise((resolve) => supervise(opts, log, t0, done, resolve));
}

function supervise(
  opts: RunProcessOptions,
  log: LogSink,
  t0: number,
  done: (extra: Partial<RunProcessResult>) => RunProcessResult,
  resolve: (r: RunProcessResult) => void,
): void {
  const [file, ...args] = opts.argv as [string, ...string[]];
  const outcome: Partial<RunProcessResult> = {};
  const timers: NodeJS.Timeout[] = [];
  let idleTimer: NodeJS.Timeout | null = null;
  let group: GroupTerminator | null = null;
  let exited = false;
  let settled = false;

  let child: ChildProcess;
  // PWD follows cwd: some CLIs (OpenCode) take their project directory from $PWD, not from getcwd().
  // The trace finds descendants that leave the group (setsid) when the child ends (spawner/escaped.ts).
  const trace = randomUUID();
  const env = { ...process.env, PWD: opts.cwd, ...opts.env, [TRACE_VAR]: trace };
  try {
    child = startChild(file, args, {
      cwd: opts.cwd,
      env,
      stdin: opts.input === undefined ? "ignore" : "pipe",
    });
  } catch (err) {
    // Synchronous spawn failures: invalid arguments such as a NUL byte in argv.
    const reason = (err as Error).message;
    void log.close(`could not start: ${reason}`).then(() => resolve(done({ spawnError: reason })));
    return;
  }
  const output = pipeOutput(
    child,
    log,
    () => idleTimer?.refresh(),
    opts.onLine,
    secretScrubber({ ...process.env, ...opts.env }),
  );

  /** Only the first reason to end counts: a timeout followed by a cancel stays a timeout. */
  const end = (why: Ending) => {
    if (!group || group.terminating || exited) return;
    outcome[why] = true;
    group.terminate();
  };
  const onAbort = () => end("aborted");

  child.once("spawn", () => {
    outcome.spawnMs = Math.round((performance.now() - t0) * 100) / 100;
    opts.onSpawn?.();
    if (child.pid !== undefined)
      group = new GroupTerminator(child.pid, opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    if (opts.timeoutMs && opts.timeoutMs > 0) timers.push(setTimeout(() => end("timedOut"), opts.timeoutMs));
    if (opts.idleTimeoutMs && opts.idleTimeoutMs > 0) {
      idleTimer = setTimeout(() => end("idleTimedOut"), opts.idleTimeoutMs);
      timers.push(idleTimer);
    }
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
  });

  if (child.stdin) {
    // The child may exit without reading its input; EPIPE then is expected, not an error.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input);
  }

  child.on("error", (err: NodeJS.ErrnoException) => {
    if (outcome.spawnMs !== undefined || settled) return;
    settled = true;
    const reason = err.code === "ENOENT" ? `command not found: ${file}` : `${file}: ${err.message}`;
    void log.close(`could not start: ${reason}`).then(() => resolve(done({ spawnError: reason })));
  });

  child.once("exit", (code, signal) => {
    exited = true;
    outcome.exitCode = code;
    outcome.signal = signal;
    for (const t of timers) clearTimeout(t);
    group?.leaderExited();
    // A grandchild that left the group may still hold our pipes open; do not wait on it forever.
    const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, grace + 1000).unref();
  });

  child.once("close", () => {
    if (settled) return;
    settled = true;
    for (const t of timers) clearTimeout(t);
    opts.signal?.removeEventListener("abort", onAbort);
    group?.settled();
    output.flush();
    const pid = child.pid as number;
    const groupLeft = groupAlive(pid);
    const result = done({ ...outcome, groupLeft });
    // Looking for escapees reads every process's environment (~50 ms on a loaded machine): part of
    // the log's closing, which a caller with `logClosed` does not wait for.
    const closing = killEscaped(trace, pid, opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS).then((found) => {
      if (found.length > 0) result.escaped = found.map((p) => `${p.pid} ${p.command}`);
      return log.close(describe(result));
    });
    if (opts.logClosed) {
      opts.logClosed(closing);
      resolve(result);
    } else void closing.then(() => resolve(result));
  });
}

function describe(r: RunProcessResult): string {
  const how = r.timedOut
    ? "timed out"
    : r.idleTimedOut
      ? "idle timeout"
      : r.aborted
        ? "aborted"
        : r.signal
          ? `killed by ${r.signal}`
          : `exit code ${r.exitCode}`;
  const escaped = r.escaped?.length
    ? `; killed ${r.escaped.length} process(es) that had left its process group: ${r.escaped.join(", ")}`
    : "";
  return `${how} after ${r.durationMs} ms${escaped}`;
}

/** Synchronous: one stat on the way to every agent's start. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
