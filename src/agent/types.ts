import type { AgentUsage } from "../store/types.js";

/** Everything a preset may need to build one invocation. */
export interface AgentContext {
  runId: string;
  taskId: string;
  /** The slot (worktree) the agent works in; its cwd. */
  slotDir: string;
  /** The prompt, written to `promptFile` before the agent starts; never put on argv. */
  prompt: string;
  promptFile: string;
  /** The task as JSON (for the scripted agent and tests), written beside the prompt. */
  taskFile: string;
  /** Slot environment: ORCHARD_RUN_ID, ORCHARD_TASK_ID, ORCHARD_SLOT, ORCHARD_PORT_BASE. */
  env: Record<string, string>;
  model?: string;
  /** Per-attempt budget, passed to CLIs that support one. */
  budgetUsd?: number;
  /** Extra argv from the user (e.g. allowed tools). */
  extraArgs?: string[];
}

export interface AgentInvocation {
  argv: string[];
  /** Added to the inherited environment (secrets come from the parent's environment, never argv). */
  env?: Record<string, string>;
  /** `prompt`: the prompt goes to stdin; `ignore`: stdin is closed (the prompt is in a file). */
  stdin: "prompt" | "ignore";
}

/** What an agent's output said, read by its preset's output reader. */
export interface AgentReport {
  usage: AgentUsage;
  /** `error`: the CLI reported failure (is_error, turn.failed …). `unknown`: it said nothing machine-readable. */
  status: "ok" | "error" | "unknown";
  error?: string;
  /** The CLI hit a rate limit or an overloaded model: retry later instead of failing. */
  rateLimited?: boolean;
  retryAfterMs?: number;
  /**
   * An error retrying cannot fix (a wrong API key, not logged in, an unknown model): the engine fails
   * the attempt without retrying and starts no more attempts until the operator fixes it and resumes.
   */
  notRetryable?: "authentication" | "configuration";
}

export interface OutputReader {
  onLine(line: string, stream: "stdout" | "stderr"): void;
  finish(): AgentReport;
}

export interface AgentPreset {
  name: string;
  description: string;
  /** The CLI it drives, for `orchard agents` (undefined for built-ins). */
  binary?: string;
  versionArgs?: string[];
  invocation(ctx: AgentContext): AgentInvocation;
  createOutputReader(): OutputReader;
}

/** One result shape for success and failure, like execa's. */
export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  idleTimedOut: boolean;
  /** Killed because the caller aborted (cancel, shutdown). */
  aborted: boolean;
  /** The process could not start (ENOENT …). */
  spawnError: string | null;
  startedAt: number;
  /** ms from the call until the child was running (exec done), as the process that started it saw it. */
  spawnMs: number;
  durationMs: number;
  /**
   * Some of the child's process group was still alive when its output closed (something it started and
   * left running, being terminated now): it may still write to the work tree.
   */
  groupLeft?: boolean;
  /**
   * Descendants that had left the child's process group (`setsid`), found by their inherited
   * ORCHARD_TRACE when it ended and killed then: "pid command" each. Also in the log's last line.
   * Known once the log is closed: a caller that hands the closing over (`logClosed`) reads the log.
   */
  escaped?: string[];
}

export interface AgentRunResult {
  process: ProcessResult;
  report: AgentReport;
  ok: boolean;
  /** Why it failed, for people: "exited with code 1: …", "idle for 30 s", "timed out after 600 s". */
  reason: string | null;
  logPath: string;
}
