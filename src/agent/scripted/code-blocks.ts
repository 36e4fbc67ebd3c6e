import type { CodeBlock, PlanTask } from "../../plan/types.js";

/**
 * The path each code block belongs to. The plan parser records the path named closest before a block;
 * when it did not, the block is found in the task body and the file path mentioned last in the text
 * between the previous block and this one is taken — how a reader of "Create `a.txt`:" would read it.
 */
export function blockPaths(task: PlanTask): Array<string | undefined> {
  const paths = task.files.map((f) => f.path);
  let from = 0;
  return task.codeBlocks.map((block) => {
    const at = block.value === "" ? -1 : task.body.indexOf(block.value, from);
    const before = at < 0 ? "" : task.body.slice(from, at);
    if (at >= 0) from = at + block.value.length;
    if (block.path) return block.path;
    return lastMentioned(before, paths);
  });
}

/** Of `paths`, the one whose last mention in `text` comes latest. */
export function lastMentioned(text: string, paths: string[]): string | undefined {
  let best: string | undefined;
  let bestAt = -1;
  for (const p of paths) {
    const at = text.lastIndexOf(p);
    // Prefer the longer path when one contains the other (`a.txt` inside `data/a.txt`).
    if (at > bestAt || (at >= 0 && at === bestAt && p.length > (best?.length ?? 0))) {
      best = p;
      bestAt = at;
    }
  }
  return best;
}

/** The block attached to `path`, if any. */
export function blockFor(task: PlanTask, path: string): CodeBlock | undefined {
  const attached = blockPaths(task);
  const i = attached.findIndex((p) => p !== undefined && samePath(p, path));
  return i < 0 ? undefined : task.codeBlocks[i];
}

export const samePath = (a: string, b: string): boolean => normalize(a) === normalize(b);
const normalize = (p: string): string => p.replace(/^\.\//, "").replace(/\/+/g, "/");
