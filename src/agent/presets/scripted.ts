import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AgentPreset } from "../types.js";
import { createGenericReader } from "./generic-reader.js";

/**
 * The built-in offline agent: a real child process that carries a task out deterministically (see
 * ../scripted/main.ts). It makes runs, tests and demos possible with no model and no network.
 */
export function scriptedPreset(): AgentPreset {
  return {
    name: "scripted",
    description: "built-in offline agent: writes the files a task names, deterministically (no model)",
    invocation: (ctx) => ({ argv: [...scriptedArgv(), ctx.taskFile], stdin: "ignore" }),
    createOutputReader: createGenericReader,
  };
}

/**
 * How to start the scripted agent's entry. Running from TypeScript sources (tests, `tsx`), this
 * module's URL ends in .ts and the entry needs tsx's loader; the loader is passed as an absolute URL
 * because the child's cwd is a slot with no node_modules to resolve `tsx` from.
 */
export function scriptedArgv(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(`../scripted/main.${fromSource ? "ts" : "js"}`, import.meta.url));
  if (!fromSource) return [process.execPath, entry];
  const loader = createRequire(import.meta.url).resolve("tsx");
  return [process.execPath, "--import", pathToFileURL(loader).href, entry];
}
