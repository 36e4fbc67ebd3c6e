import type { ProcessResult } from "../types.js";

export type OutputStream = "stdout" | "stderr";

export interface RunProcessOptions {
  /** The program and its arguments; never a shell string. */
  argv: string[];
  cwd: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is closed from the start. */
  input?: string;
  /** Wall-clock limit; 0 or absent = none. */
  timeoutMs?: number;
  /** Limit on silence (no stdout or stderr output); 0 or absent = none. */
  idleTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL to the group. Default 3000. */
  killGraceMs?: number;
  /** Output is appended here (parent directories are created). */
  logPath?: string;
  /** The log keeps at most this much output, its head and its tail (default DEFAULT_LOG_MAX_BYTES, 10 MiB). */
  logMaxBytes?: number;
  onLine?: (line: string, stream: OutputStream) => void;
  /** Called once the program has started (not when it could not start). */
  onSpawn?: () => void;
  /**
   * When given, the result does not wait for the log to be written out and closed (two trips to the
   * thread pool, which a busy run keeps milliseconds long) nor for the search for descendants that
   * left the group: the closing is handed over instead, and a caller that reads the log, or exits,
   * waits for it.
   */
  logClosed?: (closing: Promise<void>) => void;
  signal?: AbortSignal;
}

export type RunProcessResult = ProcessResult;

export const DEFAULT_KILL_GRACE_MS = 3000;
