import { OrchardError, usageError } from "../../errors.js";
import type { AgentPreset } from "../types.js";
import { aiderPreset } from "./aider.js";
import { claudePreset } from "./claude.js";
import { codexPreset } from "./codex.js";
import { commandPreset } from "./command.js";
import { geminiPreset } from "./gemini.js";
import { opencodePreset } from "./opencode.js";
import { scriptedPreset } from "./scripted.js";

export interface PresetOptions {
  /** The argv template of the `command` preset (`--agent-command`). */
  command?: string;
}

/** One row of the registry: what `orchard agents` shows, and how to make the preset. */
export interface PresetEntry {
  description: string;
  binary?: string;
  versionArgs?: string[];
  create(opts: PresetOptions): AgentPreset;
}

/** A registry row for a preset that takes no options: most presets are one fixed object. */
export const fixed = (preset: AgentPreset): PresetEntry => ({
  description: preset.description,
  binary: preset.binary,
  versionArgs: preset.versionArgs,
  create: () => preset,
});

/**
 * Every agent preset by name. Adding an agent is one line here (`claude: fixed(claudePreset)`) and
 * one file beside this one.
 */
export const PRESETS: Record<string, PresetEntry> = {
  command: {
    description: "any program, from an argv template given with --agent-command",
    create: (opts) => {
      if (!opts.command) throw usageError("the command agent needs its argv template: --agent-command '…'");
      return commandPreset(opts.command);
    },
  },
  scripted: fixed(scriptedPreset()),
  claude: fixed(claudePreset()),
  codex: fixed(codexPreset()),
  gemini: fixed(geminiPreset()),
  aider: fixed(aiderPreset()),
  opencode: fixed(opencodePreset()),
};

/** The preset called `name`; an OrchardError AGENT_UNKNOWN naming the known ones otherwise. */
export function getPreset(name: string, opts: PresetOptions = {}): AgentPreset {
  const entry = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!entry) {
    throw new OrchardError(
      "AGENT_UNKNOWN",
      `unknown agent "${name}"; known agents: ${Object.keys(PRESETS).sort().join(", ")}`,
      { agent: name, known: Object.keys(PRESETS).sort() },
    );
  }
  return entry.create(opts);
}

export interface PresetInfo {
  name: string;
  description: string;
  binary?: string;
  versionArgs?: string[];
}

/** Every preset, sorted by name, for `orchard agents` and the API. */
export function listPresets(): PresetInfo[] {
  return Object.entries(PRESETS)
    .map(([name, e]) => ({ name, description: e.description, binary: e.binary, versionArgs: e.versionArgs }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export { type AiderOptions, aiderPreset } from "./aider.js";
export { type ClaudeOptions, type ClaudePermissionMode, claudePreset } from "./claude.js";
export { binaryEnvVar, binaryFor, findExecutable } from "./cli/binary.js";
export { type AgentInstallation, checkInstallations } from "./cli/installed.js";
export { type CodexOptions, type CodexSandbox, codexPreset } from "./codex.js";
export { commandPreset } from "./command.js";
export { type GeminiApprovalMode, type GeminiOptions, geminiPreset } from "./gemini.js";
export { createGenericReader } from "./generic-reader.js";
export { type OpenCodeOptions, opencodePreset } from "./opencode.js";
export { AiderTextReader } from "./readers/aider-reader.js";
export { ClaudeStreamReader } from "./readers/claude-reader.js";
export { CodexJsonReader } from "./readers/codex-reader.js";
export { GeminiStreamReader } from "./readers/gemini-reader.js";
export { OpenCodeJsonReader } from "./readers/opencode-reader.js";
export { classifyRateLimit } from "./readers/rate-limit.js";
export { scriptedPreset } from "./scripted.js";
