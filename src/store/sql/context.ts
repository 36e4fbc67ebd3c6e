import type { Kysely, Transaction } from "kysely";
import type { Database, Dialect } from "../schema.js";

/** What every statement needs: the query builder and which dialect it speaks. */
export interface Ctx {
  db: Kysely<Database>;
  dialect: Dialect;
}

export type Tx = Transaction<Database>;

/** A write transaction (BEGIN IMMEDIATE on SQLite, see sqlite.ts). */
export function inTx<T>(ctx: Ctx, body: (trx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(body);
}

/** Rows per multi-row INSERT: under SQLite's and Postgres's bound-parameter limits for our widest table. */
export const INSERT_CHUNK = 500;

export function chunks<T>(items: readonly T[], size = INSERT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
