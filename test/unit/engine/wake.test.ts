import { describe, expect, it } from "vitest";
import { Wake } from "../../../src/engine/wake.js";

describe("Wake", () => {
  it("notify wakes every current waiter, not every second one", async () => {
    const wake = new Wake();
    const woken: number[] = [];
    const waits = [1, 2, 3, 4].map((i) => wake.wait(60_000).then(() => woken.push(i)));
    wake.notify();
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 1000))]);
    expect(woken.sort()).toEqual([1, 2, 3, 4]);
  });

  it("a waiter registered after notify waits for the next one (or its timeout)", async () => {
    const wake = new Wake();
    wake.notify();
    let woke = false;
    const w = wake.wait(60_000).then(() => {
      woke = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    wake.notify();
    await w;
    expect(woke).toBe(true);
  });
});
