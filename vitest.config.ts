import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Slot pools live outside repositories (src/git/state-dir.ts: ~/.cache/orchard/worktrees by default); the tests'
// pools go to the temp dir, beside the temp repositories they belong to, instead of the user's cache.
process.env.ORCHARD_WORKTREES ??= join(tmpdir(), "orchard-test-worktrees");

// Two projects: `unit` is pure and quick; `integration` and `e2e` spawn git, agents and databases.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000 } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
    ],
  },
});
