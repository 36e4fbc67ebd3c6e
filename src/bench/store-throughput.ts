import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { measureStoreThroughput, type StoreLocation } from "../store/index.js";
import { median } from "./stats.js";

/** No-op tasks claimed and completed per second on one dialect with one concurrency shape. */
export interface StoreRow {
  dialect: "sqlite" | "postgres";
  /** 0: workers in this process; N: N child processes with `workers` workers each. */
  processes: number;
  workers: number;
  tasks: number;
  /** Median over repetitions. */
  tasksPerSecond: number;
  samples: number[];
  /** Tasks finished more than once or finish reports rejected by the fence: must be 0 everywhere. */
  duplicates: number;
}

export const STORE_SHAPES: ReadonlyArray<{ processes: number; workers: number }> = [
  { processes: 0, workers: 1 },
  { processes: 0, workers: 4 },
  { processes: 0, workers: 16 },
  { processes: 4, workers: 1 },
  { processes: 4, workers: 4 },
];

export const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Store throughput on SQLite (a fresh file) and, when it answers, PostgreSQL (a throwaway schema that
 * is dropped afterwards). Repetitions of one shape run back to back; the median is reported.
 */
export async function measureStores(opts: {
  tasks: number;
  repeats: number;
  pgUrl: string | null;
  log?: (line: string) => void;
}): Promise<{ rows: StoreRow[]; skipped: string[] }> {
  const rows: StoreRow[] = [];
  const skipped: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), "orchard-bench-store-"));
  try {
    rows.push(...(await measureDialect({ kind: "sqlite", path: join(dir, "orchard.db") }, opts)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (opts.pgUrl) {
    const schema = `orchard_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
    const reachable = await pgReachable(opts.pgUrl);
    if (reachable !== true) skipped.push(`postgres: ${reachable}`);
    else {
      try {
        rows.push(...(await measureDialect({ kind: "postgres", url: opts.pgUrl, schema }, opts)));
      } finally {
        await dropSchema(opts.pgUrl, schema);
      }
    }
  }
  return { rows, skipped };
}

async function measureDialect(
  location: StoreLocation,
  opts: { tasks: number; repeats: number; log?: (line: string) => void },
): Promise<StoreRow[]> {
  const rows: StoreRow[] = [];
  for (const shape of STORE_SHAPES) {
    const samples: number[] = [];
    let duplicates = 0;
    for (let i = 0; i < opts.repeats; i++) {
      const r = await measureStoreThroughput({ location, tasks: opts.tasks, ...shape });
      samples.push(r.tasksPerSecond);
      duplicates += Math.max(0, r.completed - r.tasks) + r.rejected;
    }
    const row: StoreRow = {
      dialect: location.kind,
      ...shape,
      tasks: opts.tasks,
      tasksPerSecond: median(samples),
      samples,
      duplicates,
    };
    opts.log?.(
      `  store ${row.dialect} ${describeShape(row)}: ${row.tasksPerSecond}/s (${samples.join(", ")})`,
    );
    rows.push(row);
  }
  return rows;
}

export const describeShape = (r: { processes: number; workers: number }): string => {
  const workers = `${r.workers} worker${r.workers === 1 ? "" : "s"}`;
  return r.processes === 0 ? `1 process × ${workers}` : `${r.processes} processes × ${workers} each`;
};

async function pgReachable(url: string): Promise<true | string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch (error) {
    return `not reachable at ${url.replace(/\/\/[^@]*@/, "//")}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end().catch(() => {});
  }
}
