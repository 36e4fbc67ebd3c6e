import type { Plan, PlanTask } from "../../plan/types.js";

export interface PromptInput {
  plan: Plan;
  task: PlanTask;
  slotDir: string;
  /** Files that conflicted with work merged meanwhile: the task is redone on the new integration head. */
  conflictNote?: string | null;
  /** Why the previous attempt failed, when this is a retry. */
  retryNote?: string | null;
}

/**
 * The agent's whole brief: the plan as context, the task's own section verbatim, what will be checked,
 * and where it may write. Everything goes in one markdown document on stdin or in a file, never argv.
 */
export function buildPrompt(input: PromptInput): string {
  const { plan, task } = input;
  const parts: string[] = [];
  parts.push(
    `You are carrying out one task of an implementation plan${plan.title ? `: "${plan.title}"` : ""}.`,
  );

  // The plan's text before its first task holds its Goal and Architecture lines already, where the
  // plan has them there: given once (issue 21 item 5), and on their own only where that text lacks them.
  const preamble = plan.context.trim();
  const context: string[] = [];
  if (plan.goal && !preamble.includes(plan.goal)) context.push(`**Goal:** ${plan.goal}`);
  if (plan.architecture && !preamble.includes(plan.architecture))
    context.push(`**Architecture:** ${plan.architecture}`);
  if (preamble) context.push(preamble);
  if (context.length > 0) parts.push(`## Plan context\n\n${context.join("\n\n")}`);

  parts.push(`## Your task: ${task.id} ${task.title}\n\n${task.body.trim()}`);

  if (task.files.length > 0) {
    const files = task.files.map((f) => `- ${f.kind === "unspecified" ? "" : `${f.kind}: `}\`${f.path}\``);
    parts.push(`## Files this task names\n\n${files.join("\n")}`);
  }

  const checks: string[] = [];
  for (const c of task.verification.commands) checks.push(`- Orchard will run \`${c}\` in the worktree.`);
  for (const i of task.verification.instructions) checks.push(`- ${i}`);
  if (checks.length > 0) parts.push(`## Verification\n\n${checks.join("\n")}`);

  if (input.conflictNote) parts.push(`## Merge conflict\n\n${input.conflictNote}`);
  if (input.retryNote) parts.push(`## Previous attempt\n\nThe previous attempt failed: ${input.retryNote}`);

  parts.push(
    [
      "## Rules",
      "",
      `- Your working directory is a git worktree prepared for this task: ${input.slotDir}`,
      "- Change files only inside it; do not touch anything outside it.",
      "- Do only this task. Other tasks of the plan run in other worktrees at the same time.",
      task.allowNoChanges
        ? "- This task may finish without changing any file."
        : "- Orchard commits what you change; a task that changes nothing counts as failed.",
    ].join("\n"),
  );
  return `${parts.join("\n\n")}\n`;
}

/** The prompt section for a merge conflict, naming the files. */
export function conflictNote(files: string[]): string {
  return (
    `Your previous attempt conflicted with work merged meanwhile in: ${files.join(", ")}. ` +
    "The worktree now starts from the new integration head; redo the task on top of it."
  );
}
