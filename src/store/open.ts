import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openSqliteDb } from "./sqlite.js";
import { kyselyStore } from "./store.js";
import type { Store } from "./types.js";

export type StoreLocation =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string };

const DEFAULT_PG_SCHEMA = "orchard";

/** Opens the store and applies pending migrations; the caller closes it. */
export async function openStore(location: StoreLocation): Promise<Store> {
  // pg is loaded only for PostgreSQL: every CLI command that reads the embedded store would pay for it.
  const store =
    location.kind === "sqlite"
      ? kyselyStore(openSqliteDb(location.path), "sqlite")
      : kyselyStore(
          await (await import("./postgres.js")).openPostgresDb(
            location.url,
            location.schema ?? DEFAULT_PG_SCHEMA,
          ),
          "postgres",
          {
            migrationSchema: location.schema ?? DEFAULT_PG_SCHEMA,
          },
        );
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
