import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { SpawnerKind } from "./servers.js";

/**
 * Which spawners to start, and the python3 they run, looked up once: `kind` when given, else
 * `ORCHARD_SPAWN=node` or `=python` (`=inline` spawns from Orchard's own process: git/spawn.ts,
 * run-process.ts), else Python where it is known to be worth it — Linux, where CPython spawns with
 * vfork, with an interpreter that starts without a shim.
 */
export function chooseSpawners(kind?: SpawnerKind): { kind: SpawnerKind; interpreter: string } {
  const env = process.env.ORCHARD_SPAWN;
  const asked = kind ?? (env === "node" || env === "python" ? env : undefined);
  const python = asked === "node" ? null : findPython(process.env);
  const chosen = asked ?? (process.platform === "linux" && python !== null ? "python" : "node");
  return { kind: chosen, interpreter: python ?? "python3" };
}

const SYSTEM_PYTHONS = ["/usr/bin/python3", "/usr/local/bin/python3"];

/**
 * The python3 a Python spawner runs: `ORCHARD_PYTHON`, else the system's, else the first on the PATH
 * unless that is a script — a version manager's shim (pyenv, asdf) is a shell script that costs a
 * quarter of a second to start the interpreter, more than Node's spawner costs to start, on every
 * `orchard` command. The spawner needs nothing but the standard library of any python3 from 3.7 on.
 * Null when there is none worth using.
 */
export function findPython(env: NodeJS.ProcessEnv, systemPythons = SYSTEM_PYTHONS): string | null {
  if (env.ORCHARD_PYTHON) return env.ORCHARD_PYTHON;
  for (const candidate of systemPythons) if (executable(candidate)) return candidate;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "python3");
    if (!executable(candidate)) continue;
    return startsWithShebang(candidate) ? null : candidate;
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function startsWithShebang(path: string): boolean {
  const head = Buffer.alloc(2);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString("latin1") === "#!";
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
