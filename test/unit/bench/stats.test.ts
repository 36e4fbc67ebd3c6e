import { describe, expect, it } from "vitest";
import { lptMakespan, median, percentile } from "../../../src/bench/stats.js";

describe("bench stats", () => {
  it("median takes the middle value, or the mean of the two middle ones", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("percentile is nearest-rank: p50 of 1..10 is 5, p95 is 10, p0 is the minimum", () => {
    const xs = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
  });

  it("LPT makespan of equal tasks is ceil(tasks / workers) × duration", () => {
    for (const [tasks, workers, d] of [
      [2, 2, 1000],
      [4, 3, 1000],
      [6, 3, 500],
      [500, 16, 50],
      [1, 8, 200],
    ] as const) {
      expect(lptMakespan(new Array(tasks).fill(d), workers)).toBe(Math.ceil(tasks / workers) * d);
    }
  });

  it("LPT makespan of unequal tasks puts the longest first on the least-loaded worker", () => {
    // 7 → w1, 5 → w2, 4 → w2 (9), 3 → w1 (10), 1 → w2 (10)
    expect(lptMakespan([3, 5, 1, 7, 4], 2)).toBe(10);
    expect(lptMakespan([], 3)).toBe(0);
  });
});
