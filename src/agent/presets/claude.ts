import type { AgentPreset } from "../types.js";
import { binaryFor } from "./cli/binary.js";
import { ClaudeStreamReader } from "./readers/claude-reader.js";

export type ClaudePermissionMode =
  | "acceptEdits"
  | "auto"
  | "bypassPermissions"
  | "default"
  | "dontAsk"
  | "plan";

export interface ClaudeOptions {
  /** `--permission-mode`; `acceptEdits` lets it edit files in its cwd without asking. Default acceptEdits. */
  permissionMode?: ClaudePermissionMode;
  /** `--allowedTools`, e.g. `["Bash(git:*)", "Bash(npm test)"]`: what it may run beyond the mode. */
  allowedTools?: string[];
  /** `--model`, when the context names none. */
  model?: string;
  /** `--max-budget-usd` per attempt, when the context gives no budget. */
  maxBudgetUsd?: number;
  /** `--resume <session>`: continue an earlier session (e.g. a retry that keeps its context). */
  resumeSessionId?: string;
  /** `CLAUDE_CODE_MAX_RETRIES`: how often the CLI itself retries an API error before giving up. */
  maxRetries?: number;
  /**
   * Claude Code refuses `bypassPermissions` as root unless `IS_SANDBOX=1`; set this only when the agent
   * runs inside Orchard's OS sandbox.
   */
  sandboxed?: boolean;
}

/**
 * Claude Code, headless: `claude -p --output-format stream-json --verbose` (stream-json needs --verbose),
 * the prompt on stdin, an explicit permission mode. Nonessential traffic (telemetry, update checks) is
 * off, so only the model API is contacted.
 */
export function claudePreset(options: ClaudeOptions = {}): AgentPreset {
  const mode = options.permissionMode ?? "acceptEdits";
  return {
    name: "claude",
    description: `Claude Code (claude -p, stream-json, --permission-mode ${mode})`,
    binary: "claude",
    versionArgs: ["--version"],
    invocation(ctx) {
      const argv = [
        binaryFor("claude"),
        "-p",
        "--output-format",
        "stream-json",
        "--verbose",
        "--permission-mode",
        mode,
      ];
      if (options.allowedTools?.length) argv.push("--allowedTools", options.allowedTools.join(","));
      const model = ctx.model ?? options.model;
      if (model) argv.push("--model", model);
      const budget = ctx.budgetUsd ?? options.maxBudgetUsd;
      if (budget !== undefined) argv.push("--max-budget-usd", String(budget));
      if (options.resumeSessionId) argv.push("--resume", options.resumeSessionId);
      argv.push(...(ctx.extraArgs ?? []));
      const env: Record<string, string> = { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" };
      // Claude Code retries an API error 10 times by default (minutes, on errors retrying cannot fix);
      // Orchard retries attempts itself. A CLAUDE_CODE_MAX_RETRIES of the user's own stays in force.
      if (options.maxRetries !== undefined) env.CLAUDE_CODE_MAX_RETRIES = String(options.maxRetries);
      else if (!process.env.CLAUDE_CODE_MAX_RETRIES) env.CLAUDE_CODE_MAX_RETRIES = "3";
      if (options.sandboxed && mode === "bypassPermissions") env.IS_SANDBOX = "1";
      return { argv, env, stdin: "prompt" };
    },
    createOutputReader: () => new ClaudeStreamReader(),
  };
}
