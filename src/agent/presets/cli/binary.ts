import { access, constants } from "node:fs/promises";
import path from "node:path";

/**
 * Where an agent CLI lives: `$ORCHARD_<NAME>_BIN` when set (an absolute path or a name on PATH), else the
 * CLI's usual name on PATH. Read when the invocation is built, so a test or a wrapper can point Orchard at
 * a CLI installed elsewhere (e.g. test/real-clis/node_modules/.bin) without touching PATH.
 */
export function binaryFor(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[binaryEnvVar(name)] || name;
}

export const binaryEnvVar = (name: string): string =>
  `ORCHARD_${name.toUpperCase().replaceAll("-", "_")}_BIN`;

/** The executable a command name resolves to, searching PATH as a shell would; null when none does. */
export async function findExecutable(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  const candidates = command.includes("/")
    ? [path.resolve(command)]
    : (env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}
