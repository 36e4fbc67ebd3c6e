import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openStore, type StoreLocation } from "../../../src/store/index.js";
import { defineStoreConformance } from "./conformance.js";

const dir = mkdtempSync(join(tmpdir(), "orchard-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

defineStoreConformance("sqlite", async () => {
  const location: StoreLocation = { kind: "sqlite", path: join(dir, "orchard.db") };
  return { location, open: () => openStore(location) };
});
