import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../../src/store/index.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/postgres.js";

/**
 * Issue 25: a long-running process on a shared store outlives PostgreSQL dropping its connections
 * (a restart, a failover, an idle timeout). An idle pooled connection's error must not kill the process.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("a PostgreSQL store whose connections are terminated", () => {
  it("keeps the process alive and reconnects on the next statement", async () => {
    const store = await openStore({ kind: "postgres", url: db.url() });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on("uncaughtException", onUncaught);
    try {
      // Several idle connections in the pool.
      await Promise.all(Array.from({ length: 4 }, () => store.listRuns()));
      const killed = await db.query<{ n: number }>(
        "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and application_name <> 'orchard-test-admin'",
        [db.name],
      );
      expect(killed[0]?.n).toBeGreaterThan(0);
      // The terminated connections' errors arrive on the idle clients.
      await new Promise((r) => setTimeout(r, 300));
      expect(await store.listRuns()).toEqual([]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
      await store.close();
    }
  });
});
