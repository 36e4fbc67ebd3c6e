/**
 * One measuring process: opens the store, says `ready`, waits for `go` on stdin so that start-up is
 * not timed, drains the run and prints its counts as JSON.
 * argv: <StoreLocation json> <runId> <workers>
 */
import { openStore, type StoreLocation } from "../open.js";
import type { RunId } from "../types.js";
import { drainRun } from "./loop.js";

const [locationJson, runId, workers] = process.argv.slice(2);
if (!locationJson || !runId || !workers) throw new Error("usage: child <location-json> <run-id> <workers>");

const store = await openStore(JSON.parse(locationJson) as StoreLocation);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const counts = await drainRun(store, runId as RunId, Number(workers), `p${process.pid}`);
await store.close();
process.stdout.write(`${JSON.stringify(counts)}\n`);
process.stdin.destroy();
