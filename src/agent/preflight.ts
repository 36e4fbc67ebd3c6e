import { OrchardError } from "../errors.js";
import { binaryEnvVar, binaryFor, findExecutable } from "./presets/index.js";
import type { AgentPreset } from "./types.js";

/**
 * Refuses agents whose program is not installed, before a run records anything: such an agent fails
 * every attempt of every task it is given, each one retried. The program is what the preset's
 * invocation starts; a relative path with a directory in it names a file in the slot (a script in the
 * repository) and is left to the attempt.
 */
export async function assertAgentsInstalled(
  presets: Iterable<AgentPreset>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  for (const preset of new Set(presets)) {
    const program = preset.invocation(PREFLIGHT).argv[0];
    if (!program || (program.includes("/") && !program.startsWith("/"))) continue;
    if (await findExecutable(program, env)) continue;
    throw new OrchardError("AGENT_UNKNOWN", notInstalled(preset, program, env));
  }
}

function notInstalled(preset: AgentPreset, program: string, env: NodeJS.ProcessEnv): string {
  if (!preset.binary || preset.name === "command") {
    return `the agent program \`${program}\` was not found${program.includes("/") ? "" : " on PATH"}: check --agent-command (or the agent the plan names), or give the program's full path`;
  }
  const variable = binaryEnvVar(preset.binary);
  const where = env[variable]
    ? `${variable} points at \`${program}\`, which is not an executable`
    : `\`${binaryFor(preset.binary, {})}\` is not on PATH`;
  return `the ${preset.name} agent's CLI is not installed: ${where}. Install it, or point ${variable} at it (\`orchard agents\` shows what is installed)`;
}

/** What an invocation is built from when only its program is wanted: nothing in it is read or run. */
const PREFLIGHT = {
  runId: "preflight",
  taskId: "preflight",
  slotDir: ".",
  prompt: "",
  promptFile: "prompt.md",
  taskFile: "task.json",
  env: {},
};
