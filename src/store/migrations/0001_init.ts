import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../schema.js";

/** Column types that differ between the dialects; everything else is written once. */
function types(dialect: Dialect) {
  return dialect === "postgres"
    ? ({ millis: "bigint", json: "jsonb" } as const)
    : ({ millis: "integer", json: "text" } as const);
}

/** The first schema: runs, batches, tasks, attempts, workers, slots, events, locks. */
export function init(dialect: Dialect): Migration {
  const { millis, json } = types(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("runs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("plan_path", "text")
        .addColumn("plan_json", "text", (c) => c.notNull())
        .addColumn("options_json", "text", (c) => c.notNull())
        .addColumn("base_commit", "text", (c) => c.notNull())
        .addColumn("integration_branch", "text", (c) => c.notNull())
        .addColumn("integration_head", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("started_at", millis)
        .addColumn("finished_at", millis)
        .execute();

      await db.schema
        .createTable("batches")
        .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
        .addColumn("batch_id", "text", (c) => c.notNull())
        .addColumn("idx", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("depends_on", json, (c) => c.notNull())
        .addColumn("base_commit", "text")
        .addColumn("ready_at", millis)
        .addPrimaryKeyConstraint("batches_pk", ["run_id", "batch_id"])
        .execute();

      await db.schema
        .createTable("tasks")
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("task_id", "text", (c) => c.notNull())
        .addColumn("batch_id", "text", (c) => c.notNull())
        .addColumn("idx", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("lease_owner", "text")
        .addColumn("lease_expires_at", millis)
        .addColumn("base_commit", "text")
        .addColumn("result_commit", "text")
        .addColumn("landed_commit", "text")
        .addColumn("reason", "text")
        .addColumn("not_before", millis)
        .addColumn("conflict_note", "text")
        .addColumn("conflict_retries", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("tasks_pk", ["run_id", "task_id"])
        .addForeignKeyConstraint(
          "tasks_batch_fk",
          ["run_id", "batch_id"],
          "batches",
          ["run_id", "batch_id"],
          (c) => c.onDelete("cascade"),
        )
        .addCheckConstraint(
          "tasks_status_ck",
          sql`status in ('pending','queued','running','completed','landed','failed','skipped','cancelled')`,
        )
        .execute();
      // The claim's subselect: queued tasks of one run in plan order.
      await db.schema
        .createIndex("tasks_claim_ix")
        .on("tasks")
        .columns(["run_id", "status", "idx"])
        .execute();

      await db.schema
        .createTable("attempts")
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("task_id", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("worker_id", "text", (c) => c.notNull())
        .addColumn("slot_id", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("exit_code", "integer")
        .addColumn("signal", "text")
        .addColumn("log_path", "text")
        .addColumn("commit_sha", "text")
        .addColumn("usage", json)
        .addColumn("timings", json)
        .addColumn("started_at", millis, (c) => c.notNull())
        .addColumn("finished_at", millis)
        .addPrimaryKeyConstraint("attempts_pk", ["run_id", "task_id", "attempt"])
        .addForeignKeyConstraint(
          "attempts_task_fk",
          ["run_id", "task_id"],
          "tasks",
          ["run_id", "task_id"],
          (c) => c.onDelete("cascade"),
        )
        .addCheckConstraint(
          "attempts_status_ck",
          sql`status in ('running','succeeded','failed','expired','cancelled')`,
        )
        .execute();

      // Workers and events carry a run id without a foreign key: an event or a heartbeat must never fail.
      await db.schema
        .createTable("workers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("pid", "integer", (c) => c.notNull())
        .addColumn("started_at", millis, (c) => c.notNull())
        .addColumn("heartbeat_at", millis, (c) => c.notNull())
        .addColumn("stopped_at", millis)
        .execute();
      await db.schema.createIndex("workers_run_ix").on("workers").column("run_id").execute();

      await db.schema
        .createTable("slots")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("run_id", "text")
        .addColumn("task_id", "text")
        .addColumn("updated_at", millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("events")
        .addColumn("seq", dialect === "postgres" ? "bigint" : "integer", (c) =>
          dialect === "postgres"
            ? c.primaryKey().generatedAlwaysAsIdentity()
            : c.primaryKey().autoIncrement(),
        )
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("at", millis, (c) => c.notNull())
        .addColumn("data", json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_run_seq_ix").on("events").columns(["run_id", "seq"]).execute();

      await db.schema
        .createTable("locks")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("expires_at", millis, (c) => c.notNull())
        .addColumn("acquired_at", millis, (c) => c.notNull())
        .execute();
    },
  };
}
