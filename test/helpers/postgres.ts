/** A throwaway PostgreSQL database per test file (real server at 127.0.0.1:5432, user postgres, trust). */
import { randomUUID } from "node:crypto";
import pg from "pg";

export const PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  name: string;
  /** The database's URL, with `password` planted in it when given (trust auth ignores it). */
  url(password?: string): string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = "orchard_t"): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@127.0.0.1:5432/${name}`,
    max: 2,
    application_name: "orchard-test-admin",
  });
  return {
    name,
    url: (password) =>
      `postgres://postgres${password === undefined ? "" : `:${password}`}@127.0.0.1:5432/${name}`,
    query: async (text, values) => (await pool.query(text, values)).rows,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
