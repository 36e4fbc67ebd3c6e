import { appendFile, mkdir, realpath, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { Action } from "./actions.js";

export interface ApplyResult {
  /** Human lines: what was done. */
  done: string[];
  /** Human lines: what was refused or failed. */
  errors: string[];
}

/**
 * Carries the actions out inside `root`, in order. A path outside `root` (absolute, `..`, or through a
 * symlink) is refused — Orchard may run as root, so "the OS would have said no" is not a guard. The
 * other actions still run, the way a partly failing agent leaves partial work.
 */
export async function applyActions(root: string, actions: Action[]): Promise<ApplyResult> {
  const out: ApplyResult = { done: [], errors: [] };
  const realRoot = await realpath(root);
  for (const a of actions) {
    const verb = a.op === "delete" ? "delete" : "write";
    const target = await insideRoot(realRoot, a.path);
    if (!target) {
      out.errors.push(`refusing to ${verb} outside the worktree: ${a.path}`);
      continue;
    }
    try {
      if (a.op === "delete") {
        await rm(target, { force: true });
        out.done.push(`deleted ${a.path}`);
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await (a.op === "append" ? appendFile : writeFile)(target, a.content);
      const lines = a.content.split("\n").length - 1;
      out.done.push(
        `${a.op === "append" ? "appended to" : "wrote"} ${a.path} (${lines} line${lines === 1 ? "" : "s"}, ${a.from})`,
      );
    } catch (err) {
      out.errors.push(`could not ${verb} ${a.path}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** The absolute target when `path` stays inside `realRoot` after resolving symlinks; null otherwise. */
async function insideRoot(realRoot: string, path: string): Promise<string | null> {
  if (path.trim() === "" || isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return null;
  const target = resolve(realRoot, path);
  if (!within(realRoot, target) || target === realRoot) return null;
  // Resolve the deepest part that exists: a symlinked directory (or file) may point out of the slot.
  let probe = target;
  for (;;) {
    const real = await realpath(probe).catch(() => null);
    if (real !== null) return within(realRoot, real) ? target : null;
    const up = dirname(probe);
    if (up === probe) return null;
    probe = up;
  }
}

function within(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}
