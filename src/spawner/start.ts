import { type ChildProcess, spawn } from "node:child_process";

export interface StartOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** "pipe" when the caller writes input; otherwise the child's stdin is /dev/null. */
  stdin: "pipe" | "ignore";
}

/**
 * The one way Orchard starts a child process: from an argv array, by Node itself, `detached` so the child
 * leads a session and process group of its own (a terminal's Ctrl-C is Orchard's to act on, and the whole
 * group can be signalled at once), with stdout and stderr piped.
 *
 * Node forks on the event loop's thread and waits there until the child has exec'd: a few ms per child,
 * tens on a loaded machine. Helper processes that started children for Orchard saved that, but not
 * enough to show in a run's efficiency (docs/benchmarks.md, "Starting child processes"); agents run for
 * minutes. Throws only for arguments no process can take (a NUL byte); a missing program is the child's
 * `error` event.
 */
export function startChild(file: string, args: readonly string[], opts: StartOptions): ChildProcess {
  return spawn(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: [opts.stdin, "pipe", "pipe"],
  });
}
