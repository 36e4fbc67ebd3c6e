/**
 * The store's surface: records and one Store interface with no connection or transaction in it.
 * Every method is a small named statement (or one transaction); times are epoch milliseconds.
 */

export type RunId = string & { readonly __brand: "RunId" };
export type WorkerId = string & { readonly __brand: "WorkerId" };
export type SlotId = string & { readonly __brand: "SlotId" };

export type RunStatus = "pending" | "running" | "interrupted" | "succeeded" | "failed" | "cancelled";
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];
export const isFinalRun = (status: RunStatus): boolean => FINAL_RUN_STATUSES.includes(status);

/**
 * pending → queued → running → completed → landed
 *                      ↓  ↑(retry / lease expired / conflict)
 *                    failed          skipped, cancelled
 */
export type TaskStatus =
  | "pending"
  | "queued"
  | "running"
  | "completed"
  | "landed"
  | "failed"
  | "skipped"
  | "cancelled";
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ["landed", "failed", "skipped", "cancelled"];
export const isFinalTask = (status: TaskStatus): boolean => FINAL_TASK_STATUSES.includes(status);

export type AttemptStatus = "running" | "succeeded" | "failed" | "expired" | "cancelled";

export interface AgentUsage {
  sessionId?: string;
  model?: string;
  turns?: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  costUsd?: number;
}

/** Milliseconds spent in each phase of one attempt. */
export interface AttemptTimings {
  /** Waiting for the workers ahead to claim and launch theirs (the start lane, engine/execute.ts), before the claim. */
  laneMs?: number;
  claimMs?: number;
  handoffMs?: number;
  /** The run's setup command in the slot, before the agent. */
  setupMs?: number;
  spawnMs?: number;
  agentMs?: number;
  verifyMs?: number;
  commitMs?: number;
  mergeMs?: number;
}

export interface RunRecord {
  id: RunId;
  repo: string;
  planPath: string | null;
  /** The parsed plan as JSON: resume never re-reads the file. */
  planJson: string;
  /** The run's options as JSON (agent, workers, mode, limits …). */
  optionsJson: string;
  baseCommit: string;
  integrationBranch: string;
  integrationHead: string | null;
  status: RunStatus;
  reason: string | null;
  cancelRequested: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface BatchRecord {
  runId: RunId;
  batchId: string;
  index: number;
  title: string;
  dependsOn: string[];
  /** The integration head the batch's tasks start from, fixed when the batch becomes ready. */
  baseCommit: string | null;
  readyAt: number | null;
}

export interface TaskRecord {
  runId: RunId;
  taskId: string;
  batchId: string;
  /** Plan order. */
  index: number;
  title: string;
  status: TaskStatus;
  /** Number of the current (or last) attempt; 0 before the first claim. */
  attempt: number;
  maxAttempts: number;
  leaseOwner: WorkerId | null;
  leaseExpiresAt: number | null;
  baseCommit: string | null;
  /** The commit on the task branch when the attempt succeeded. */
  resultCommit: string | null;
  /** The merge commit on the integration branch once landed. */
  landedCommit: string | null;
  reason: string | null;
  /** A claim is not handed out before this time (rate-limit backoff). */
  notBefore: number | null;
  /** Set when the task is re-run after a merge conflict: named in the next prompt. */
  conflictNote: string | null;
  conflictRetries: number;
  updatedAt: number;
}

export interface AttemptRecord {
  runId: RunId;
  taskId: string;
  attempt: number;
  workerId: WorkerId;
  slotId: string | null;
  status: AttemptStatus;
  reason: string | null;
  exitCode: number | null;
  signal: string | null;
  logPath: string | null;
  commit: string | null;
  usage: AgentUsage | null;
  timings: AttemptTimings | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface EventRecord {
  seq: number;
  runId: RunId;
  type: string;
  at: number;
  data: Record<string, unknown>;
}

export interface WorkerRecord {
  id: WorkerId;
  runId: RunId;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
  stoppedAt: number | null;
}

export interface SlotRecord {
  id: SlotId;
  path: string;
  state: "free" | "busy" | "resetting" | "broken";
  runId: RunId | null;
  taskId: string | null;
  updatedAt: number;
}

export interface NewRun {
  id: RunId;
  repo: string;
  planPath: string | null;
  planJson: string;
  optionsJson: string;
  baseCommit: string;
  integrationBranch: string;
  batches: Array<Pick<BatchRecord, "batchId" | "index" | "title" | "dependsOn">>;
  tasks: Array<{
    taskId: string;
    batchId: string;
    index: number;
    title: string;
    maxAttempts: number;
    /** Initial status: `pending`, or `skipped` (with reason) for completed / out-of-range tasks. */
    status: "pending" | "skipped";
    reason?: string;
  }>;
}

/** What a successful claim hands the worker: the task and the fencing token (attempt number). */
export interface Claim {
  task: TaskRecord;
  attempt: number;
  workerId: WorkerId;
  leaseExpiresAt: number;
}

export type AttemptOutcome =
  | {
      kind: "succeeded";
      resultCommit: string | null;
      exitCode: number | null;
      logPath: string | null;
      usage?: AgentUsage | null;
      timings?: AttemptTimings | null;
    }
  | {
      kind: "failed";
      reason: string;
      /** Retry this task (next attempt) if attempts remain; otherwise it fails. */
      retryable: boolean;
      /** For rate limits: do not hand the retry out before this time. */
      notBefore?: number;
      /** Rate-limit retries do not consume the attempt budget. */
      freeRetry?: boolean;
      exitCode: number | null;
      signal?: string | null;
      logPath: string | null;
      usage?: AgentUsage | null;
      timings?: AttemptTimings | null;
    };

export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Applies numbered migrations that have not run yet. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // runs
  createRun(run: NewRun, now?: number): Promise<RunRecord>;
  getRun(id: RunId): Promise<RunRecord | undefined>;
  /** Oldest first. */
  listRuns(): Promise<RunRecord[]>;
  updateRun(
    id: RunId,
    patch: Partial<Pick<RunRecord, "status" | "reason" | "integrationHead" | "startedAt" | "finishedAt">>,
  ): Promise<void>;
  requestCancel(id: RunId): Promise<void>;
  /** Clears a cancel request: the run was re-opened by resume or retry. */
  withdrawCancel(id: RunId): Promise<void>;

  // batches
  listBatches(runId: RunId): Promise<BatchRecord[]>;
  /** Fixes the batch's base commit once; later calls keep the first value. Returns the stored base. */
  setBatchBase(runId: RunId, batchId: string, baseCommit: string, now?: number): Promise<string>;

  // tasks
  listTasks(runId: RunId): Promise<TaskRecord[]>;
  getTask(runId: RunId, taskId: string): Promise<TaskRecord | undefined>;
  /** pending → queued for the given tasks, with their base commit. Only touches pending tasks. */
  markReady(
    runId: RunId,
    items: Array<{ taskId: string; baseCommit: string }>,
    now?: number,
  ): Promise<number>;
  /**
   * One atomic statement: the lowest-index queued task whose notBefore has passed becomes running
   * under this worker, with attempt+1 and a lease. Inserts the attempt row. Undefined when none.
   */
  claimTask(runId: RunId, workerId: WorkerId, leaseMs: number, now?: number): Promise<Claim | undefined>;
  /** Extends the lease if this worker still holds this attempt. False when the lease was lost. */
  renewLease(claim: Claim, leaseMs: number, now?: number): Promise<boolean>;
  /** Fenced: only the holder of the current attempt's lease can record its outcome. False otherwise. */
  finishAttempt(claim: Claim, outcome: AttemptOutcome, now?: number): Promise<boolean>;
  /** Records slot / log path / timings on a running attempt (fenced like finishAttempt). */
  updateAttempt(
    claim: Claim,
    patch: Partial<Pick<AttemptRecord, "slotId" | "logPath" | "timings" | "usage">>,
  ): Promise<boolean>;
  /** Running tasks whose lease ran out: re-queued with the next attempt, or failed at the limit. */
  requeueExpired(runId: RunId, now?: number): Promise<TaskRecord[]>;
  /** Running tasks of a run whose owner is gone (resume): same as expiry, immediately. */
  requeueInterrupted(runId: RunId, now?: number): Promise<TaskRecord[]>;
  /** completed → landed with the merge commit; also moves the run's integration head. */
  markLanded(runId: RunId, taskId: string, landedCommit: string, now?: number): Promise<boolean>;
  /** completed → queued on a new base, with the conflict named; counts a conflict retry. */
  requeueForConflict(
    runId: RunId,
    taskId: string,
    baseCommit: string,
    note: string,
    now?: number,
  ): Promise<boolean>;
  /** Any non-final task → the given final status with a reason (failed, skipped, cancelled). */
  finalizeTasks(
    runId: RunId,
    taskIds: string[],
    status: "failed" | "skipped" | "cancelled",
    reason: string,
    now?: number,
  ): Promise<number>;
  /** failed/skipped/cancelled → pending again, with room for one more attempt (orchard retry). */
  resetTask(runId: RunId, taskId: string, now?: number): Promise<boolean>;

  // attempts
  listAttempts(runId: RunId, taskId?: string): Promise<AttemptRecord[]>;

  // workers
  registerWorker(worker: Omit<WorkerRecord, "stoppedAt">): Promise<void>;
  heartbeatWorker(id: WorkerId, now?: number): Promise<void>;
  stopWorker(id: WorkerId, now?: number): Promise<void>;
  listWorkers(runId: RunId): Promise<WorkerRecord[]>;

  // slots
  upsertSlot(slot: SlotRecord): Promise<void>;
  listSlots(): Promise<SlotRecord[]>;

  // events: append-only, sequence-numbered
  appendEvent(runId: RunId, type: string, data: Record<string, unknown>, now?: number): Promise<number>;
  /** Several events of one run, in the order given, in one transaction (`at` defaults to now). */
  appendEvents(
    runId: RunId,
    events: ReadonlyArray<{ type: string; data: Record<string, unknown>; at?: number }>,
    now?: number,
  ): Promise<number[]>;
  listEvents(runId: RunId, afterSeq?: number, limit?: number): Promise<EventRecord[]>;
  /** Every run's events after `afterSeq`, in seq order (seq is one sequence across runs). */
  listAllEvents(afterSeq?: number, limit?: number): Promise<EventRecord[]>;
  /** One run's events whose type is one of `types`, after `afterSeq`, in seq order; the others are not read. */
  listEventsOfTypes(
    runId: RunId,
    types: readonly string[],
    afterSeq?: number,
    limit?: number,
  ): Promise<EventRecord[]>;
  /** The seq of the run's last event (of every run's without `runId`); 0 when there is none. */
  lastEventSeq(runId?: RunId | null): Promise<number>;

  // named locks with a time limit (integration is serialized per run across processes)
  tryLock(name: string, owner: string, ttlMs: number, now?: number): Promise<boolean>;
  unlock(name: string, owner: string): Promise<void>;
  /** The owner of a lock that has not expired (a run's lease: who drives it), or undefined. */
  lockHolder(name: string, now?: number): Promise<{ owner: string; expiresAt: number } | undefined>;
}
