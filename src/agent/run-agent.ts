import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { judge } from "./judge.js";
import { classifyFatal } from "./presets/readers/auth-error.js";
import { type OutputStream, runProcess } from "./process/index.js";
import type { Confine } from "./sandbox/index.js";
import type { AgentContext, AgentPreset, AgentRunResult } from "./types.js";

/** The presets whose CLI's messages presets/readers/auth-error.ts knows. */
const AGENT_CLIS = new Set(["claude", "codex", "gemini", "aider", "opencode"]);

export interface RunAgentOptions {
  logPath: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  killGraceMs?: number;
  /** The agent's log keeps at most this much output, head and tail (default 10 MiB). */
  logMaxBytes?: number;
  signal?: AbortSignal;
  onLine?: (line: string, stream: OutputStream) => void;
  /** Called once the agent's process has started. */
  onSpawn?: () => void;
  /** Takes the closing of the log instead of waiting for it (runProcess's `logClosed`). */
  logClosed?: (closing: Promise<void>) => void;
  /**
   * The task (a PlanTask), written as JSON to ctx.taskFile before the agent starts. Leave it out when
   * the caller wrote the file itself.
   */
  task?: unknown;
  /** Confines the agent to its slot (`--mode sandbox`). */
  confine?: Confine;
}

/**
 * Runs one agent attempt: writes the prompt (and task) files, starts the preset's invocation in the
 * slot with the slot's environment, reads its output with the preset's reader, and judges the result.
 * It resolves for every outcome; only a failure to write the prompt file rejects.
 */
export async function runAgent(
  preset: AgentPreset,
  ctx: AgentContext,
  opts: RunAgentOptions,
): Promise<AgentRunResult> {
  // Synchronous: small files on the way to the agent's start (a thread-pool round trip each, otherwise).
  mkdirSync(dirname(ctx.promptFile), { recursive: true });
  writeFileSync(ctx.promptFile, ctx.prompt);
  if (opts.task !== undefined) {
    mkdirSync(dirname(ctx.taskFile), { recursive: true });
    writeFileSync(ctx.taskFile, `${JSON.stringify(opts.task, null, 2)}\n`);
  }
  const inv = preset.invocation(ctx);
  const reader = preset.createOutputReader();
  let lastStderrLine = "";
  // Only the agent CLIs' words are read for errors retrying cannot fix: a plain command's output
  // (tests printing "401 Unauthorized", say) is the task's business.
  const agentCli = AGENT_CLIS.has(preset.name);
  /** The CLI's own words (stderr, non-JSON stdout), kept for recognising errors retrying cannot fix. */
  const cliLines: string[] = [];
  const command = { argv: inv.argv, env: { ...ctx.env, ...inv.env } };
  const { argv, env } = opts.confine ? opts.confine(command) : command;
  const proc = await runProcess({
    argv,
    cwd: ctx.slotDir,
    env,
    input: inv.stdin === "prompt" ? ctx.prompt : undefined,
    timeoutMs: opts.timeoutMs,
    idleTimeoutMs: opts.idleTimeoutMs,
    killGraceMs: opts.killGraceMs,
    logPath: opts.logPath,
    ...(opts.logMaxBytes ? { logMaxBytes: opts.logMaxBytes } : {}),
    signal: opts.signal,
    ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
    ...(opts.logClosed ? { logClosed: opts.logClosed } : {}),
    onLine: (line, stream) => {
      if (stream === "stderr" && line.trim() !== "") lastStderrLine = line;
      if (agentCli && line.trim() !== "" && (stream === "stderr" || !line.trimStart().startsWith("{"))) {
        cliLines.push(line);
        if (cliLines.length > 40) cliLines.shift();
      }
      try {
        reader.onLine(line, stream);
      } catch {
        // A reader choking on one odd line must not lose the rest of the run.
      }
      opts.onLine?.(line, stream);
    },
  });
  const report = reader.finish();
  const verdict = judge(proc, report, {
    timeoutMs: opts.timeoutMs,
    idleTimeoutMs: opts.idleTimeoutMs,
    lastStderrLine,
  });
  if (agentCli && !verdict.ok && !report.rateLimited && !proc.aborted) {
    const kind = classifyFatal(report.error) ?? classifyFatal(cliLines.join("\n"));
    if (kind) report.notRetryable = kind;
  }
  return { process: proc, report, ...verdict, logPath: opts.logPath };
}
