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
