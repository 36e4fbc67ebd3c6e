import { execa } from "execa";
import { killGroup, type SpawnOptions, type SpawnResult, spawner } from "../spawner/index.js";

export type { SpawnOptions, SpawnResult };

/** After TERM, the group gets this long before KILL. */
const KILL_GRACE_MS = 2_000;

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Detached children outlive us unless we kill their groups ourselves when Orchard exits (inline spawns;
 * the spawner kills its own).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pid of liveGroups) killGroup(pid, "SIGKILL");
  });
}

/**
 * Spawns `git <args>` in its own process group (so hooks, ssh and credential helpers die with it), with
 * stdin closed unless there is input, and a timeout that kills the whole group: TERM, then KILL.
 */
export async function spawnGit(args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  if (process.env.ORCHARD_SPAWN !== "inline") return spawner().run("git", args, opts);
  installExitHook();
  return spawnInline(args, opts);
}

async function spawnInline(args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  const started = performance.now();
  const child = execa("git", args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 256 * 1024 * 1024,
    ...(opts.input === undefined ? { stdin: "ignore" as const } : { input: opts.input }),
  });
  const pid = child.pid;
  let timedOut = false;
  let termTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  if (pid !== undefined) {
    liveGroups.add(pid);
    termTimer = setTimeout(() => {
      timedOut = true;
      killGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(pid, "SIGKILL"), KILL_GRACE_MS);
    }, opts.timeoutMs);
  }
  try {
    const result = await child;
    const stderr = typeof result.stderr === "string" ? result.stderr : "";
    // A process that never started (missing cwd, no git binary) has no exit code and no signal.
    const neverStarted = result.exitCode === undefined && result.signal === undefined;
    return {
      stdout: typeof result.stdout === "string" ? result.stdout : "",
      stderr: neverStarted && stderr === "" ? (result.message ?? "") : stderr,
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      timedOut,
      durationMs: performance.now() - started,
    };
  } finally {
    clearTimeout(termTimer);
    clearTimeout(killTimer);
    if (pid !== undefined) liveGroups.delete(pid);
  }
}
