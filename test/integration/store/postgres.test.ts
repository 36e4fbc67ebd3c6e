import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { openStore, type StoreLocation } from "../../../src/store/index.js";
import { defineStoreConformance } from "./conformance.js";

/** A local PostgreSQL with trust auth; ORCHARD_TEST_PG_URL overrides. */
const URL = process.env.ORCHARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `orchard_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

afterAll(async () => {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});

defineStoreConformance("postgres", async () => {
  const location: StoreLocation = { kind: "postgres", url: URL, schema };
  return { location, open: () => openStore(location) };
});
