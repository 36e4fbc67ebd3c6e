import { describe, expect, it } from "vitest";
import { normalizeOptions, warmSlots } from "../../../src/engine/options.js";

describe("slot defaults", () => {
  it("allows two slots a worker and warms one a worker plus up to four spare", () => {
    const sixteen = normalizeOptions({ workers: 16 });
    expect(sixteen.slots).toBe(32);
    expect(warmSlots(sixteen)).toBe(20);
    const three = normalizeOptions({ workers: 3 });
    expect(three.slots).toBe(6);
    expect(warmSlots(three)).toBe(6);
  });

  it("keeps an explicit --slots, never fewer than the workers, and warms no more than it allows", () => {
    const set = normalizeOptions({ workers: 8, slots: 10 });
    expect(set.slots).toBe(10);
    expect(warmSlots(set)).toBe(10);
    expect(normalizeOptions({ workers: 8, slots: 3 }).slots).toBe(8);
  });

  it("gives a local run one worker and two slots", () => {
    const local = normalizeOptions({ workers: 6, mode: "local" });
    expect([local.workers, local.slots]).toEqual([1, 2]);
  });
});
