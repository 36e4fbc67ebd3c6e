import type { PlanTask } from "../../plan/types.js";
import { blockPaths, lastMentioned, samePath } from "./code-blocks.js";

/** Most lines a template may ask for; a typo like "from 1 to 5000000000" must not fill the disk. */
const MAX_LINES = 1_000_000;

/** "Where {n} is the line number from 1 to 500" / "Where N is the line number from 1 to 500". */
const RANGE = /where\s+(\{\w+\}|[A-Za-z])\s+is\s+the\s+line\s+number\s+from\s+(\d+)\s+to\s+(\d+)/i;

export interface LineTemplate {
  /** The file it applies to, when the plan says; otherwise the task's only written file. */
  path: string | undefined;
  render(): string;
}

/**
 * A generated-lines request as plans write them (e2e-test-07, large-file-test): a one-line template in
 * quotes or in a code block, with a placeholder that "is the line number from A to B".
 */
export function findLineTemplate(task: PlanTask): LineTemplate | null {
  const text = task.implementation || task.body;
  const m = RANGE.exec(text) ?? RANGE.exec(task.body);
  if (!m) return null;
  const token = m[1]!;
  const first = Number(m[2]);
  const last = Math.min(Number(m[3]), first + MAX_LINES - 1);
  const has = token.startsWith("{")
    ? (s: string) => s.includes(token)
    : (s: string) => new RegExp(`\\b${token}\\b`).test(s);
  const fill = token.startsWith("{")
    ? (s: string, n: number) => s.replaceAll(token, String(n))
    : (s: string, n: number) => s.replace(new RegExp(`\\b${token}\\b`, "g"), String(n));

  const attached = blockPaths(task);
  const blockIndex = task.codeBlocks.findIndex((b) => has(b.value));
  let template: string | undefined;
  let path: string | undefined;
  if (blockIndex >= 0) {
    template = task.codeBlocks[blockIndex]!.value.trim();
    path = attached[blockIndex];
  } else {
    template = [...text.matchAll(/"([^"\n]+)"|“([^”\n]+)”/g)].map((q) => q[1] ?? q[2] ?? "").find(has);
  }
  if (!template) return null;
  if (!path) {
    const before = text.slice(0, text.indexOf(template) >= 0 ? text.indexOf(template) : m.index);
    path = lastMentioned(
      before,
      task.files.map((f) => f.path),
    );
  }
  const body = template;
  return {
    path,
    render() {
      const lines: string[] = [];
      for (let n = first; n <= last; n++) lines.push(fill(body, n));
      return `${lines.join("\n")}\n`;
    },
  };
}

export const templateApplies = (t: LineTemplate, path: string, writable: number): boolean =>
  t.path ? samePath(t.path, path) : writable === 1;
