/** The agent module: presets, prompts, and running agent processes in their own process groups. */
export { judge, type Verdict } from "./judge.js";
export { assertAgentsInstalled } from "./preflight.js";
export {
  type AgentInstallation,
  aiderPreset,
  checkInstallations,
  classifyRateLimit,
  claudePreset,
  codexPreset,
  commandPreset,
  createGenericReader,
  geminiPreset,
  getPreset,
  listPresets,
  opencodePreset,
  PRESETS,
  type PresetEntry,
  type PresetInfo,
  type PresetOptions,
  scriptedPreset,
} from "./presets/index.js";
export {
  DEFAULT_KILL_GRACE_MS,
  killAllChildren,
  liveGroupCount,
  looksLikeSecret,
  type OutputStream,
  type RunProcessOptions,
  type RunProcessResult,
  redactArgv,
  redactCommandLine,
  runProcess,
} from "./process/index.js";
export { buildPrompt, conflictNote, type PromptInput } from "./prompt/build-prompt.js";
export { type RunAgentOptions, runAgent } from "./run-agent.js";
export {
  type AllowedHost,
  type Confine,
  openSandbox,
  parseAllowedHost,
  probeSandbox,
  type Sandbox,
  type SandboxSupport,
  sandboxSupport,
} from "./sandbox/index.js";
export { type Action, planActions } from "./scripted/actions.js";
export { slotEnv } from "./slot-env.js";
export type * from "./types.js";
