import type { AgentPreset } from "../types.js";
import { binaryFor } from "./cli/binary.js";
import { AiderTextReader } from "./readers/aider-reader.js";

export interface AiderOptions {
  /** `--model`, when the context names none. */
  model?: string;
  /** `--edit-format` (diff, whole, udiff …). */
  editFormat?: string;
}

/**
 * Aider, headless: `aider --message-file <prompt file> --yes-always`, stdin closed. Orchard commits, so
 * Aider's own commits are off, and it must not edit .gitignore or check for updates. From Aider's
 * documented options; Aider is a Python tool that cannot be installed here, so only the argv is tested.
 */
export function aiderPreset(options: AiderOptions = {}): AgentPreset {
  return {
    name: "aider",
    description: "Aider (aider --message-file --yes-always, no auto-commits)",
    binary: "aider",
    versionArgs: ["--version"],
    invocation(ctx) {
      const argv = [
        binaryFor("aider"),
        "--message-file",
        ctx.promptFile,
        "--yes-always",
        "--no-auto-commits",
        "--no-dirty-commits",
        "--no-gitignore",
        "--no-check-update",
        "--no-show-model-warnings",
        "--analytics-disable",
        "--no-pretty",
        "--no-stream",
      ];
      const model = ctx.model ?? options.model;
      if (model) argv.push("--model", model);
      if (options.editFormat) argv.push("--edit-format", options.editFormat);
      argv.push(...(ctx.extraArgs ?? []));
      return { argv, stdin: "ignore" };
    },
    createOutputReader: () => new AiderTextReader(),
  };
}
