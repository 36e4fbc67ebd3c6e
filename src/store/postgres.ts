import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One schema per store: every pooled connection gets it as its search_path, so the statements never
 * name it. Creating the schema tolerates a concurrent creator.
 */
export async function openPostgresDb(url: string, schema = "orchard"): Promise<Kysely<Database>> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid postgres schema name: ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  // An idle pooled connection that PostgreSQL drops (a restart, a failover, an idle timeout) emits
  // "error" on the pool; unhandled, that kills the process. The pool has already discarded the client,
  // and the next statement opens a new one (or fails where someone is waiting for it).
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // 23505/42P06: another process created it between the check and the insert.
    const code = (error as { code?: string }).code;
    if (code !== "23505" && code !== "42P06") {
      await db.destroy();
      throw error;
    }
  }
  return db;
}

/**
 * Runs `fn` while holding a session advisory lock keyed on the schema, on a connection of its own:
 * concurrent starters wait for the one migrating instead of racing it (DDL in PostgreSQL is not
 * idempotent under concurrency: two `create table if not exists` can both fail on pg_type).
 */
export async function withMigrationLock<T>(url: string, schema: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext($1))", [`orchard:migrate:${schema}`]);
    return await fn();
  } finally {
    // Ending the session releases the lock even if the unlock statement cannot run.
    await client
      .query("select pg_advisory_unlock(hashtext($1))", [`orchard:migrate:${schema}`])
      .catch(() => {});
    await client.end().catch(() => {});
  }
}
