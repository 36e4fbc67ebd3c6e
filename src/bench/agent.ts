/**
 * The sleep agent: writes its one file, then `exec`s sleep so that only two process images start
 * (sh, then sleep in its place). The shell string is the argument of `sh -c`, one argv word; Orchard
 * itself never runs a shell.
 */
export function sleepAgentCommand(durationMs: number): string {
  return `sh -c '${sleepAgentScript(durationMs)}'`;
}

/** The script `sh -c` runs; `{task_id}` is the command preset's placeholder. */
export function sleepAgentScript(durationMs: number): string {
  return `echo done > out-{task_id}.txt; exec sleep ${(durationMs / 1000).toFixed(3)}`;
}
