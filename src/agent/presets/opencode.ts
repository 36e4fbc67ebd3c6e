import type { AgentPreset } from "../types.js";
import { binaryFor } from "./cli/binary.js";
import { OpenCodeJsonReader } from "./readers/opencode-reader.js";

export interface OpenCodeOptions {
  /** `--model provider/model`, when the context names none. */
  model?: string;
  /** `--agent`: one of OpenCode's agents (e.g. `build`). */
  agent?: string;
  /** `--auto`: approve permissions not explicitly denied. Off by default: OpenCode's defaults already allow edits. */
  autoApprove?: boolean;
}

/**
 * OpenCode, headless: `opencode run --format json`; with no message on argv it reads the prompt from
 * stdin. Checked against `opencode run --help` of opencode-ai 1.18.
 */
export function opencodePreset(options: OpenCodeOptions = {}): AgentPreset {
  return {
    name: "opencode",
    description: "OpenCode (opencode run --format json)",
    binary: "opencode",
    versionArgs: ["--version"],
    invocation(ctx) {
      const argv = [binaryFor("opencode"), "run", "--format", "json"];
      const model = ctx.model ?? options.model;
      if (model) argv.push("--model", model);
      if (options.agent) argv.push("--agent", options.agent);
      if (options.autoApprove) argv.push("--auto");
      argv.push(...(ctx.extraArgs ?? []));
      // OpenCode takes its project directory from $PWD, not from its cwd: an inherited PWD would send its
      // edits to the parent's directory.
      return { argv, env: { PWD: ctx.slotDir, OPENCODE_DISABLE_AUTOUPDATE: "1" }, stdin: "prompt" };
    },
    createOutputReader: () => new OpenCodeJsonReader(),
  };
}
