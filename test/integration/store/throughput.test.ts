import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { measureStoreThroughput } from "../../../src/store/index.js";

const dir = mkdtempSync(join(tmpdir(), "orchard-throughput-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const location = { kind: "sqlite" as const, path: join(dir, "orchard.db") };

// Checks the measuring harness completes every task in and across processes; it asserts no speed.
it("measures in this process and across child processes, completing every task once", async () => {
  const local = await measureStoreThroughput({ location, tasks: 200, workers: 4 });
  expect(local).toMatchObject({ dialect: "sqlite", completed: 200, rejected: 0, processes: 0 });
  const spread = await measureStoreThroughput({ location, tasks: 200, workers: 2, processes: 2 });
  expect(spread).toMatchObject({ completed: 200, rejected: 0, processes: 2 });
  expect(spread.tasksPerSecond).toBeGreaterThan(0);
});
