import type { PlanFile, PlanTask } from "../../plan/types.js";
import { blockFor } from "./code-blocks.js";
import { inlineContent } from "./inline.js";
import { findLineTemplate, templateApplies } from "./line-template.js";

/** One thing the scripted agent does to the worktree. `from` says where the content came from. */
export type Action =
  | { op: "write"; path: string; content: string; from: ContentSource }
  | { op: "append"; path: string; content: string; from: "default" }
  | { op: "delete"; path: string };

export type ContentSource = "code block" | "inline" | "line template" | "default";

const WRITES = new Set<PlanFile["kind"]>(["create", "modify", "test"]);

/**
 * What the scripted agent does for a task: pure, so the whole decision is unit-tested on literal tasks.
 * Files named only to be read produce nothing; a task of only such files is a no-op.
 */
export function planActions(task: PlanTask): Action[] {
  const files = dedupe(task.files);
  const writable = files.filter((f) => WRITES.has(f.kind));
  const template = findLineTemplate(task);
  const actions: Action[] = [];
  for (const f of files) {
    if (f.kind === "delete") {
      actions.push({ op: "delete", path: f.path });
      continue;
    }
    if (!WRITES.has(f.kind) && f.kind !== "unspecified") continue;
    if (template && templateApplies(template, f.path, writable.length)) {
      actions.push({ op: "write", path: f.path, content: template.render(), from: "line template" });
      continue;
    }
    const given = givenContent(task, f, writable.length);
    if (given) actions.push({ op: "write", path: f.path, ...given });
    else if (f.kind === "modify")
      actions.push({ op: "append", path: f.path, content: defaultLine(task), from: "default" });
    else if (f.kind !== "unspecified")
      actions.push({ op: "write", path: f.path, content: defaultLine(task), from: "default" });
  }
  return actions;
}

function givenContent(
  task: PlanTask,
  f: PlanFile,
  writable: number,
): { content: string; from: ContentSource } | undefined {
  const block = blockFor(task, f.path);
  if (block) return { content: withNewline(block.value), from: "code block" };
  const only = task.codeBlocks[0];
  if (writable === 1 && task.codeBlocks.length === 1 && WRITES.has(f.kind) && only) {
    return { content: withNewline(only.value), from: "code block" };
  }
  const inline = inlineContent(task.implementation, f.path) ?? inlineContent(task.body, f.path);
  if (inline !== undefined) return { content: withNewline(inline), from: "inline" };
  return undefined;
}

const defaultLine = (task: PlanTask): string =>
  `Written by the scripted agent for task ${task.id}: ${task.title}\n`;
const withNewline = (s: string): string => (s.endsWith("\n") ? s : `${s}\n`);

function dedupe(files: PlanFile[]): PlanFile[] {
  const seen = new Set<string>();
  return files.filter((f) => !seen.has(f.path) && seen.add(f.path));
}
