import { describe, expect, it } from "vitest";
import { SlotCosts } from "../../../src/git/pool-costs.js";

describe("SlotCosts", () => {
  it("says no until a slot's making has been timed, and takes a reset for 50 ms until one has", () => {
    const costs = new SlotCosts();
    expect(costs.growthPaysOff(5)).toBe(false);
    costs.made(240);
    expect(costs.growthPaysOff(5)).toBe(true); // 240 ms against 5 × 50
    costs.reset(30);
    expect(costs.growthPaysOff(5)).toBe(false); // against 5 × 30
    expect(new SlotCosts(260).growthPaysOff(5)).toBe(false);
  });

  it("grows a small repository's pool and not a large one's", () => {
    // Seen here: 200 files made in 70 ms at best, reset in ~50; 5,000 files in 1.4 s, reset in ~120.
    const small = new SlotCosts();
    for (const ms of [1_060, 70, 361]) small.made(ms);
    for (const ms of [44, 52, 98]) small.reset(ms);
    expect(small.growthPaysOff(5)).toBe(true);
    const large = new SlotCosts();
    for (const ms of [9_461, 1_371, 4_148]) large.made(ms);
    for (const ms of [92, 120, 254]) large.reset(ms);
    expect(large.growthPaysOff(5)).toBe(false);
  });

  it("times making at its quickest and resets on a moving average", () => {
    const costs = new SlotCosts();
    for (const ms of [500, 100, 900]) costs.made(ms);
    costs.reset(10);
    expect(costs.growthPaysOff(10)).toBe(true); // 100 ms against 10 × 10
    expect(costs.growthPaysOff(9.9)).toBe(false);
    // One quick reset moves the average to 8.2 ms, not to 1.
    costs.reset(1);
    expect(costs.growthPaysOff(12.2)).toBe(true);
    expect(costs.growthPaysOff(12)).toBe(false);
  });
});
