import BetterSqlite3 from "better-sqlite3";
import { type Driver, Kysely, SqliteAdapter, SqliteDialect } from "kysely";
import type { Database } from "./schema.js";
import { ImmediateSqliteDriver } from "./sqlite-driver.js";

/** SQLite does run DDL inside transactions; saying so makes the Migrator take the write lock for the
 * whole migration, so two processes opening a fresh file cannot both apply it. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class OrchardSqliteDialect extends SqliteDialect {
  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.database);
  }
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export function openSqliteDb(path: string): Kysely<Database> {
  const database = new BetterSqlite3(path);
  database.pragma("busy_timeout = 5000");
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  return new Kysely<Database>({ dialect: new OrchardSqliteDialect(database) });
}
