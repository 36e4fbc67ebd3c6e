import type { Migration, MigrationProvider } from "kysely";
import type { Dialect } from "../schema.js";
import { init } from "./0001_init.js";

/**
 * Every migration, in order. Append only: a shipped migration is never edited, a change is a new file.
 * Listed statically (no directory scan) so the same code runs from src/ under tsx and from dist/.
 */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const all: Record<string, Migration> = {
    "0001_init": init(dialect),
  };
  return { getMigrations: async () => all };
}
