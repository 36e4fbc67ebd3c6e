import type { AgentPreset } from "../types.js";
import { binaryFor } from "./cli/binary.js";
import { CodexJsonReader } from "./readers/codex-reader.js";

export type CodexSandbox = "read-only" | "workspace-write" | "danger-full-access";

export interface CodexOptions {
  /** `-s`: Codex's own sandbox. Default workspace-write (it keeps `.git` read-only: Orchard commits). */
  sandbox?: CodexSandbox;
  /** `-m`, when the context names none. */
  model?: string;
  /** Extra `-c key=value` overrides (TOML values), e.g. a model provider. */
  config?: string[];
  /** Plugins and analytics off (`--disable plugins -c analytics.enabled=false`), so only the model API is contacted. Default true. */
  offline?: boolean;
}

/**
 * Codex, headless: `codex exec --json -s workspace-write -`; the `-` makes it read the prompt from stdin,
 * which is closed after the prompt.
 */
export function codexPreset(options: CodexOptions = {}): AgentPreset {
  const sandbox = options.sandbox ?? "workspace-write";
  return {
    name: "codex",
    description: `OpenAI Codex (codex exec --json, -s ${sandbox})`,
    binary: "codex",
    versionArgs: ["--version"],
    invocation(ctx) {
      const argv = [binaryFor("codex"), "exec", "--json", "--color", "never", "-s", sandbox];
      const model = ctx.model ?? options.model;
      if (model) argv.push("-m", model);
      if (options.offline ?? true) argv.push("--disable", "plugins", "-c", "analytics.enabled=false");
      for (const kv of options.config ?? []) argv.push("-c", kv);
      argv.push(...(ctx.extraArgs ?? []), "-");
      return { argv, stdin: "prompt" };
    },
    createOutputReader: () => new CodexJsonReader(),
  };
}
