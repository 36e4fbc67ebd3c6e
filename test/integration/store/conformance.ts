/**
 * The store conformance suite: the same assertions for every dialect. A dialect's test file calls
 * `defineStoreConformance` with a factory for a store on a fresh database and where that database is
 * (child processes open it themselves).
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { Store, StoreLocation } from "../../../src/store/index.js";
import { claimSuite } from "./suite-claims.js";
import { eventTypeSuite } from "./suite-events.js";
import { leaseSuite } from "./suite-leases.js";
import { processSuite } from "./suite-processes.js";
import { recordSuite } from "./suite-records.js";
import { transitionSuite } from "./suite-transitions.js";

export interface ConformanceTarget {
  /** Opens (and migrates) a store on this file's database; may be called more than once. */
  open: () => Promise<Store>;
  location: StoreLocation;
}

/** Lets each part of the suite reach the store opened once for the whole file. */
export type GetStore = () => Store;

export function defineStoreConformance(name: string, target: () => Promise<ConformanceTarget>): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store | undefined;
    let current: ConformanceTarget | undefined;
    beforeAll(async () => {
      current = await target();
      store = await current.open();
    });
    afterAll(async () => {
      await store?.close();
    });
    const get: GetStore = () => {
      if (!store) throw new Error("store not open");
      return store;
    };
    const getTarget = () => {
      if (!current) throw new Error("target not ready");
      return current;
    };
    recordSuite(get, getTarget);
    claimSuite(get);
    leaseSuite(get);
    transitionSuite(get);
    processSuite(get, getTarget);
    eventTypeSuite(get);
  });
}
