import { sql } from "kysely";
import { toEvent, toJson } from "../rows.js";
import type { EventRecord, RunId } from "../types.js";
import { type Ctx, inTx } from "./context.js";

/** Arbitrary constant naming the advisory lock that orders event appends on Postgres. */
const EVENT_APPEND_LOCK = 0x0e7e47;

/** Appends one event; returns its seq. */
export async function appendEvent(
  ctx: Ctx,
  runId: RunId,
  type: string,
  data: Record<string, unknown>,
  now: number,
): Promise<number> {
  const [seq] = await appendEvents(ctx, runId, [{ type, data }], now);
  return seq!;
}

/**
 * Appends several events of one run in order, in one transaction; returns their seqs. On Postgres an
 * identity value is taken at insert time but becomes visible at commit, so two concurrent appends could
 * commit out of seq order and a reader paging with afterSeq would skip one. A transaction-scoped
 * advisory lock makes seq order commit order. SQLite's single writer already does.
 */
export async function appendEvents(
  ctx: Ctx,
  runId: RunId,
  events: ReadonlyArray<{ type: string; data: Record<string, unknown>; at?: number }>,
  now: number,
): Promise<number[]> {
  if (events.length === 0) return [];
  return inTx(ctx, async (trx) => {
    if (ctx.dialect === "postgres")
      await sql`select pg_advisory_xact_lock(${EVENT_APPEND_LOCK})`.execute(trx);
    const rows = await trx
      .insertInto("events")
      .values(
        events.map((e) => ({ run_id: runId, type: e.type, at: e.at ?? now, data: toJson(e.data) ?? "{}" })),
      )
      .returning("seq")
      .execute();
    // Multi-row inserts number their rows in the order given on both dialects; sorted to be sure.
    return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  });
}

export async function listEvents(ctx: Ctx, runId: RunId, afterSeq = 0, limit = 1000): Promise<EventRecord[]> {
  const rows = await ctx.db
    .selectFrom("events")
    .selectAll()
    .where("run_id", "=", runId)
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/** One run's events of the given types after a sequence number, in seq order (the rest are not read). */
export async function listEventsOfTypes(
  ctx: Ctx,
  runId: RunId,
  types: readonly string[],
  afterSeq = 0,
  limit = 1000,
): Promise<EventRecord[]> {
  if (types.length === 0) return [];
  const rows = await ctx.db
    .selectFrom("events")
    .selectAll()
    .where("run_id", "=", runId)
    .where("type", "in", [...types])
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/** The seq of a run's last event (of every run's, when `runId` is null); 0 if there is none. */
export async function lastEventSeq(ctx: Ctx, runId: RunId | null): Promise<number> {
  let query = ctx.db.selectFrom("events").select((eb) => eb.fn.max("seq").as("last"));
  if (runId !== null) query = query.where("run_id", "=", runId);
  const row = await query.executeTakeFirst();
  return Number(row?.last ?? 0);
}

/** Every run's events after a sequence number, in sequence order (the API's all-runs stream). */
export async function listAllEvents(ctx: Ctx, afterSeq = 0, limit = 1000): Promise<EventRecord[]> {
  const rows = await ctx.db
    .selectFrom("events")
    .selectAll()
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}
