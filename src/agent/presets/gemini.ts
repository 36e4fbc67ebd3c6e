import type { AgentPreset } from "../types.js";
import { binaryFor } from "./cli/binary.js";
import { GeminiStreamReader } from "./readers/gemini-reader.js";

export type GeminiApprovalMode = "default" | "auto_edit" | "yolo" | "plan";

export interface GeminiOptions {
  /** `--approval-mode`. Default auto_edit: in `default` headless Gemini is not even offered its write tools. */
  approvalMode?: GeminiApprovalMode;
  /** `-m`, when the context names none; naming one also skips the CLI's model-routing call. */
  model?: string;
}

/**
 * Gemini CLI, headless: `gemini -p "" --output-format stream-json --approval-mode auto_edit`. The prompt
 * goes to stdin; `-p` makes the run non-interactive and its (empty) text is appended to stdin's.
 * Headless Gemini only works in a trusted folder: `GEMINI_CLI_TRUST_WORKSPACE=true` trusts the slot.
 */
export function geminiPreset(options: GeminiOptions = {}): AgentPreset {
  const mode = options.approvalMode ?? "auto_edit";
  return {
    name: "gemini",
    description: `Gemini CLI (gemini -p, stream-json, --approval-mode ${mode})`,
    binary: "gemini",
    versionArgs: ["--version"],
    invocation(ctx) {
      const argv = [binaryFor("gemini"), "-p", "", "--output-format", "stream-json", "--approval-mode", mode];
      const model = ctx.model ?? options.model;
      if (model) argv.push("-m", model);
      argv.push(...(ctx.extraArgs ?? []));
      return { argv, env: { GEMINI_CLI_TRUST_WORKSPACE: "true" }, stdin: "prompt" };
    },
    createOutputReader: () => new GeminiStreamReader(),
  };
}
