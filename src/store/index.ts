/** The durable store: one Store interface over SQLite (default, embedded) or PostgreSQL (shared). */
export { openStore, type StoreLocation, sqliteStoreFile, sqliteStorePath } from "./open.js";
export { measureStoreThroughput, type ThroughputOptions, type ThroughputResult } from "./throughput.js";
export * from "./types.js";
