/**
 * Row shapes as the database holds them (snake_case). Timestamps are epoch ms; Postgres hands bigint
 * back as a string, so reads go through `rows.ts`, which converts. JSON columns are text on SQLite
 * and jsonb on Postgres; both are written as JSON strings.
 */
import type { Generated } from "kysely";

type Millis = number | string;
type Json = string | object;

export interface RunsTable {
  id: string;
  repo: string;
  plan_path: string | null;
  plan_json: string;
  options_json: string;
  base_commit: string;
  integration_branch: string;
  integration_head: string | null;
  status: string;
  reason: string | null;
  cancel_requested: number;
  created_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
}

export interface BatchesTable {
  run_id: string;
  batch_id: string;
  idx: number;
  title: string;
  depends_on: Json;
  base_commit: string | null;
  ready_at: Millis | null;
}

export interface TasksTable {
  run_id: string;
  task_id: string;
  batch_id: string;
  idx: number;
  title: string;
  status: string;
  attempt: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: Millis | null;
  base_commit: string | null;
  result_commit: string | null;
  landed_commit: string | null;
  reason: string | null;
  not_before: Millis | null;
  conflict_note: string | null;
  conflict_retries: number;
  updated_at: Millis;
}

export interface AttemptsTable {
  run_id: string;
  task_id: string;
  attempt: number;
  worker_id: string;
  slot_id: string | null;
  status: string;
  reason: string | null;
  exit_code: number | null;
  signal: string | null;
  log_path: string | null;
  commit_sha: string | null;
  usage: Json | null;
  timings: Json | null;
  started_at: Millis;
  finished_at: Millis | null;
}

export interface WorkersTable {
  id: string;
  run_id: string;
  host: string;
  pid: number;
  started_at: Millis;
  heartbeat_at: Millis;
  stopped_at: Millis | null;
}

export interface SlotsTable {
  id: string;
  path: string;
  state: string;
  run_id: string | null;
  task_id: string | null;
  updated_at: Millis;
}

export interface EventsTable {
  seq: Generated<Millis>;
  run_id: string;
  type: string;
  at: Millis;
  data: Json;
}

export interface LocksTable {
  name: string;
  owner: string;
  expires_at: Millis;
  acquired_at: Millis;
}

export interface Database {
  runs: RunsTable;
  batches: BatchesTable;
  tasks: TasksTable;
  attempts: AttemptsTable;
  workers: WorkersTable;
  slots: SlotsTable;
  events: EventsTable;
  locks: LocksTable;
}

export type Dialect = "sqlite" | "postgres";
