import { runProcess } from "../../process/index.js";
import { binaryEnvVar, binaryFor, findExecutable } from "./binary.js";

export interface AgentInstallation {
  name: string;
  description: string;
  /** The command Orchard would start (`$ORCHARD_<NAME>_BIN` or the CLI's name); null for built-ins. */
  command: string | null;
  /** The env variable that overrides `command`. */
  binaryEnv: string | null;
  /** Where `command` resolves; null when it is not installed. Built-ins are always installed. */
  path: string | null;
  installed: boolean;
  /** The first line `<binary> --version` printed; null when it printed nothing or failed. */
  version: string | null;
}

interface PresetLike {
  name: string;
  description: string;
  binary?: string;
  versionArgs?: string[];
}

const VERSION_TIMEOUT_MS = 10_000;

/** Whether each preset's CLI is installed, with its version; the CLIs are asked in parallel. */
export function checkInstallations(
  presets: PresetLike[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<AgentInstallation[]> {
  return Promise.all(presets.map((p) => checkOne(p, env, cwd)));
}

async function checkOne(p: PresetLike, env: NodeJS.ProcessEnv, cwd: string): Promise<AgentInstallation> {
  const base = { name: p.name, description: p.description };
  // `command` names its program per run; the built-ins need nothing installed.
  if (!p.binary || p.name === "command") {
    return {
      ...base,
      command: null,
      binaryEnv: null,
      path: null,
      installed: p.name !== "command",
      version: null,
    };
  }
  const command = binaryFor(p.binary, env);
  const path = await findExecutable(command, env);
  const info = { ...base, command, binaryEnv: binaryEnvVar(p.binary), path };
  if (!path) return { ...info, installed: false, version: null };
  let first: string | null = null;
  const result = await runProcess({
    argv: [path, ...(p.versionArgs ?? ["--version"])],
    cwd,
    timeoutMs: VERSION_TIMEOUT_MS,
    onLine: (line, stream) => {
      if (stream === "stdout" && first === null && line.trim()) first = line.trim();
    },
  });
  return { ...info, installed: true, version: result.exitCode === 0 ? first : null };
}
