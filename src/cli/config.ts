import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { type RunOptionsInput, RunOptionsSchema } from "../engine/options.js";
import { OrchardError } from "../errors.js";

export const CONFIG_FILE = "orchard.config.json";

/**
 * `orchard.config.json` at the repository root: a run's defaults, in the engine's own option names
 * (RunOptionsSchema). Flags override it. A batch range is a flag of one run, not a project default.
 */
export const ProjectConfigSchema = RunOptionsSchema.omit({ startBatch: true, endBatch: true })
  .extend({ $schema: z.string() })
  .partial()
  .strict();

export interface ProjectConfig {
  path: string;
  options: RunOptionsInput;
}

/** Reads the repository's config file; null when there is none. Errors name the file, the line and the key. */
export async function readProjectConfig(repoTop: string): Promise<ProjectConfig | null> {
  const path = join(repoTop, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  return { path, options: parseProjectConfig(text, path) };
}

export function parseProjectConfig(text: string, path = CONFIG_FILE): RunOptionsInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const line = at ? lineOf(text, Number(at[1])) : 1;
    throw configError(path, line, `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw configError(path, 1, 'must be a JSON object, e.g. { "agent": "claude", "workers": 3 }');
  }
  const parsed = ProjectConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key =
      issue.code === "unrecognized_keys" ? (issue.keys[0] ?? "") : issue.path.map(String).join(".") || "";
    const top = issue.code === "unrecognized_keys" ? key : String(issue.path[0] ?? "");
    throw configError(path, keyLine(text, top), `"${key}": ${describeIssue(issue)}`);
  }
  // The schema fills in defaults; keep only what the file says, so that flags and defaults stay apart.
  const given = new Set(Object.keys(raw));
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.data)) if (given.has(k) && k !== "$schema") options[k] = v;
  return options as RunOptionsInput;
}

/** A validation issue in words a user reads: what the value must be, without the library's wording. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "array") return `must have at least ${n} item${n === 1 ? "" : "s"}`;
      if (issue.origin === "string") return "must not be empty";
      return issue.inclusive === false ? `must be more than ${n}` : `must be at least ${n}`;
    }
    case "too_big":
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : `must be at most ${issue.maximum}`;
    case "invalid_type":
      if (issue.expected === "int") return "must be a whole number";
      if (issue.expected === "array") return "must be a list (JSON array)";
      if (issue.expected === "boolean") return "must be true or false";
      return `must be a ${issue.expected}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown key; known keys: ${Object.keys(ProjectConfigSchema.shape)
        .filter((k) => k !== "$schema")
        .sort()
        .join(", ")}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

function configError(path: string, line: number, message: string): OrchardError {
  return new OrchardError("USAGE", `${path}:${line}: ${message}`);
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** The line of a top-level key (the first place it is written), or 1. */
function keyLine(text: string, key: string): number {
  if (!key) return 1;
  const at = text.indexOf(JSON.stringify(key));
  return at < 0 ? 1 : lineOf(text, at);
}
