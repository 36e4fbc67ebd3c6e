import type { SourcePos } from "./types.js";

export type PlanErrorCode =
  | "PLAN_NO_TASKS"
  | "PLAN_DUPLICATE_TASK"
  | "PLAN_DUPLICATE_BATCH"
  | "PLAN_UNKNOWN_TASK"
  | "PLAN_UNKNOWN_BATCH"
  | "PLAN_CYCLE"
  | "PLAN_EMPTY_TASK"
  | "PLAN_FILE_NOT_FOUND"
  | "PLAN_NOT_UTF8"
  | "PLAN_TOO_DEEP"
  | "PLAN_LINE_TOO_LONG"
  | "PLAN_BAD_TASK_ID";

/** A problem in a plan, with where it is and what to do about it. */
export class PlanError extends Error {
  override readonly name = "PlanError";
  constructor(
    readonly code: PlanErrorCode,
    message: string,
    readonly pos: SourcePos = { line: 1, column: 1 },
    readonly file?: string,
  ) {
    super(message);
  }

  /** `file:line:col: message`, the shape editors and terminals link. */
  format(file = this.file ?? "<plan>"): string {
    return `${file}:${this.pos.line}:${this.pos.column}: ${this.message}`;
  }
}
