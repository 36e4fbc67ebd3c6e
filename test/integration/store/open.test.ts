import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { openStore, sqliteStorePath } from "../../../src/store/index.js";

const repo = mkdtempSync(join(tmpdir(), "orchard-repo-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

it("sqliteStorePath is <state dir>/orchard.db and creates the directory", () => {
  const path = sqliteStorePath(join(repo, "state"));
  expect(path).toBe(join(repo, "state", "orchard.db"));
  expect(existsSync(join(repo, "state"))).toBe(true);
});

it("opens SQLite in WAL mode with foreign keys, and records the applied migration", async () => {
  const path = sqliteStorePath(repo);
  const store = await openStore({ kind: "sqlite", path });
  expect(store.dialect).toBe("sqlite");
  await store.close();
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const names = db.prepare("select name from kysely_migration order by name").all();
    expect(names).toEqual([{ name: "0001_init" }]);
  } finally {
    db.close();
  }
});
