/** Branded ids keep the three kinds of string apart. */
export type TaskId = string & { readonly __brand: "TaskId" };
export type BatchId = string & { readonly __brand: "BatchId" };

export const taskId = (s: string): TaskId => s as TaskId;
export const batchId = (s: string): BatchId => s as BatchId;

export type FileKind = "create" | "modify" | "test" | "read" | "delete" | "unspecified";

export interface PlanFile {
  /** Repository-relative (or absolute, as written) path: backticks and `:12-40` line ranges stripped. */
  path: string;
  kind: FileKind;
  /** The line range that was written after the path, e.g. "12-40", if any. */
  lines?: string;
  /** What was written after the path: `(new)`, `(lines ~43, ~72)`, `— add the route`, `(only if …)`. */
  note?: string;
}

export interface SourcePos {
  line: number;
  column: number;
}

export interface Verification {
  /** Shell command lines Orchard runs in the slot after the agent (backticked bullets, fenced blocks). */
  commands: string[];
  /** Everything else under Verification: passed to the agent as instructions. */
  instructions: string[];
}

export interface CodeBlock {
  lang: string | null;
  value: string;
  /** The path named closest before the block (e.g. "Create `a/b.txt`:"), if any. */
  path?: string;
}

export interface PlanTask {
  id: TaskId;
  title: string;
  batch: BatchId;
  /** 0-based position of the task in the whole plan: plan order. */
  index: number;
  pos: SourcePos;
  files: PlanFile[];
  /** Bullets under Files that name no file (`No new files`, `git status`, prose): shown by `plan check`. */
  fileNotes?: string[];
  /** The whole task section as markdown: the agent's instructions. */
  body: string;
  /** Implementation text (the **Implementation:** field or free text), as markdown. */
  implementation: string;
  codeBlocks: CodeBlock[];
  steps: string[];
  verification: Verification;
  /** Dependencies written in the plan (`**Depends on:**`). */
  dependsOn: TaskId[];
  /** Dependencies inferred from Files (flat plans): a task naming a file an earlier task creates/modifies. */
  inferredDependsOn: TaskId[];
  commit?: string;
  /** `**Status:** completed` — the task is skipped. */
  skip: boolean;
  /** `**Agent:** codex` — per-task agent override. */
  agent?: string;
  /** True when the task may finish without changing anything (all its files are Read, or it says so). */
  allowNoChanges: boolean;
}

export interface PlanBatch {
  id: BatchId;
  title: string;
  index: number;
  pos: SourcePos;
  /** Batches this one waits for. Absent Dependencies line = the batch before; `None` = []. */
  dependsOn: BatchId[];
  executionMode?: "local" | "parallel";
  tasks: TaskId[];
  /** Flat plans: one implicit batch whose tasks run one after another unless the run is parallel. */
  implicit: boolean;
}

export interface PlanWarning {
  code: string;
  message: string;
  pos?: SourcePos;
}

export interface Plan {
  shape: "batched" | "flat";
  title?: string;
  goal?: string;
  architecture?: string;
  /** Text before the first batch or task: context for prompts. */
  context: string;
  batches: PlanBatch[];
  tasks: PlanTask[];
  warnings: PlanWarning[];
  /** The file it came from, if any. */
  source?: string;
}
