/** Row → record mappers: bigint strings become numbers, JSON text becomes objects, 0/1 becomes boolean. */
import type { Selectable } from "kysely";
import type {
  AttemptsTable,
  BatchesTable,
  EventsTable,
  RunsTable,
  SlotsTable,
  TasksTable,
  WorkersTable,
} from "./schema.js";
import type {
  AttemptRecord,
  AttemptStatus,
  BatchRecord,
  EventRecord,
  RunId,
  RunRecord,
  RunStatus,
  SlotId,
  SlotRecord,
  TaskRecord,
  TaskStatus,
  WorkerId,
  WorkerRecord,
} from "./types.js";

export const millis = (value: number | string): number => Number(value);
export const millisOrNull = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

/** Postgres jsonb arrives parsed, SQLite text arrives as a string. */
export function fromJson<T>(value: string | object | null): T | null {
  if (value === null) return null;
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export const toJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

export function toRun(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id as RunId,
    repo: row.repo,
    planPath: row.plan_path,
    planJson: row.plan_json,
    optionsJson: row.options_json,
    baseCommit: row.base_commit,
    integrationBranch: row.integration_branch,
    integrationHead: row.integration_head,
    status: row.status as RunStatus,
    reason: row.reason,
    cancelRequested: Boolean(row.cancel_requested),
    createdAt: millis(row.created_at),
    startedAt: millisOrNull(row.started_at),
    finishedAt: millisOrNull(row.finished_at),
  };
}

export function toBatch(row: Selectable<BatchesTable>): BatchRecord {
  return {
    runId: row.run_id as RunId,
    batchId: row.batch_id,
    index: row.idx,
    title: row.title,
    dependsOn: fromJson<string[]>(row.depends_on) ?? [],
    baseCommit: row.base_commit,
    readyAt: millisOrNull(row.ready_at),
  };
}

export function toTask(row: Selectable<TasksTable>): TaskRecord {
  return {
    runId: row.run_id as RunId,
    taskId: row.task_id,
    batchId: row.batch_id,
    index: row.idx,
    title: row.title,
    status: row.status as TaskStatus,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    leaseOwner: row.lease_owner as WorkerId | null,
    leaseExpiresAt: millisOrNull(row.lease_expires_at),
    baseCommit: row.base_commit,
    resultCommit: row.result_commit,
    landedCommit: row.landed_commit,
    reason: row.reason,
    notBefore: millisOrNull(row.not_before),
    conflictNote: row.conflict_note,
    conflictRetries: row.conflict_retries,
    updatedAt: millis(row.updated_at),
  };
}

export function toAttempt(row: Selectable<AttemptsTable>): AttemptRecord {
  return {
    runId: row.run_id as RunId,
    taskId: row.task_id,
    attempt: row.attempt,
    workerId: row.worker_id as WorkerId,
    slotId: row.slot_id,
    status: row.status as AttemptStatus,
    reason: row.reason,
    exitCode: row.exit_code,
    signal: row.signal,
    logPath: row.log_path,
    commit: row.commit_sha,
    usage: fromJson(row.usage),
    timings: fromJson(row.timings),
    startedAt: millis(row.started_at),
    finishedAt: millisOrNull(row.finished_at),
  };
}

export function toEvent(row: Selectable<EventsTable>): EventRecord {
  return {
    seq: millis(row.seq),
    runId: row.run_id as RunId,
    type: row.type,
    at: millis(row.at),
    data: fromJson<Record<string, unknown>>(row.data) ?? {},
  };
}

export function toWorker(row: Selectable<WorkersTable>): WorkerRecord {
  return {
    id: row.id as WorkerId,
    runId: row.run_id as RunId,
    host: row.host,
    pid: row.pid,
    startedAt: millis(row.started_at),
    heartbeatAt: millis(row.heartbeat_at),
    stoppedAt: millisOrNull(row.stopped_at),
  };
}

export function toSlot(row: Selectable<SlotsTable>): SlotRecord {
  return {
    id: row.id as SlotId,
    path: row.path,
    state: row.state as SlotRecord["state"],
    runId: row.run_id as RunId | null,
    taskId: row.task_id,
    updatedAt: millis(row.updated_at),
  };
}
