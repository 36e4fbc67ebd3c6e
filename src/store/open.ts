import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { OrchardError } from "../errors.js";
import { openSqliteDb } from "./sqlite.js";
import { kyselyStore } from "./store.js";
import type { Store } from "./types.js";
import { redactError, redactStoreUrl } from "./url.js";

export type StoreLocation =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string };

const DEFAULT_PG_SCHEMA = "orchard";

/** Opens the store and applies pending migrations; the caller closes it. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === "sqlite") {
    const store = kyselyStore(openSqliteDb(location.path), "sqlite");
    return migrated(store);
  }
  // pg is loaded only for PostgreSQL: every CLI command that reads the embedded store would pay for it.
  const schema = location.schema ?? DEFAULT_PG_SCHEMA;
  const { openPostgresDb, withMigrationLock } = await import("./postgres.js");
  try {
    // Several processes starting at once (a fleet's workers) take turns: one creates the schema and
    // migrates, the others then find nothing to do (a session advisory lock per schema).
    return await withMigrationLock(location.url, schema, async () =>
      migrated(
        kyselyStore(await openPostgresDb(location.url, schema), "postgres", { migrationSchema: schema }),
      ),
    );
  } catch (error) {
    if (error instanceof OrchardError) throw redactError(error, location.url);
    const reason = error instanceof Error ? error.message : String(error);
    throw redactError(
      new OrchardError(
        "INTERNAL",
        `cannot open the store at ${redactStoreUrl(location.url)}: ${reason}; check that PostgreSQL is running there and the URL's user, database and password`,
      ),
      location.url,
    );
  }
}

async function migrated(store: Store): Promise<Store> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** `<state dir>/orchard.db` (the repository's state dir, git's stateDir), creating the directory if needed. */
export function sqliteStorePath(stateDir: string): string {
  mkdirSync(stateDir, { recursive: true });
  return sqliteStoreFile(stateDir);
}

/** Where a repository's embedded store is in its state dir, whether or not it exists. */
export function sqliteStoreFile(stateDir: string): string {
  return join(stateDir, "orchard.db");
}
