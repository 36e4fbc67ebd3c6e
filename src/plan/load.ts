import { readFile } from "node:fs/promises";
import { PlanError } from "./errors.js";
import { parsePlan } from "./parse.js";
import type { Plan } from "./types.js";

export interface LoadOptions {
  /** The name errors show for the file (e.g. the path as the user typed it); defaults to `path`. */
  source?: string;
}

/** Reads a plan file as strict UTF-8 and parses it. */
export async function loadPlan(path: string, opts: LoadOptions = {}): Promise<Plan> {
  const source = opts.source ?? path;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EISDIR"
        ? "is a directory"
        : code === "EACCES"
          ? "cannot be read (permission denied)"
          : "does not exist";
    throw new PlanError(
      "PLAN_FILE_NOT_FOUND",
      `plan file ${why}: check the path`,
      { line: 1, column: 1 },
      source,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstBadLine(bytes);
    throw new PlanError("PLAN_NOT_UTF8", "plan file is not valid UTF-8: save it as UTF-8", at, source);
  }
  return parsePlan(text, { source });
}

/** The line of the first byte sequence that is not UTF-8, so the message points at it. */
function firstBadLine(bytes: Uint8Array): { line: number; column: number } {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return { line, column: 1 };
      }
      line++;
      start = i + 1;
    }
  }
  return { line: 1, column: 1 };
}
