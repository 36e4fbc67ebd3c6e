import { describe, expect, it } from "vitest";
import { StartLane } from "../../../src/engine/start-lane.js";

/** Lets every pending microtask run (the lane hands over through promises only). */
async function drain(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("StartLane", () => {
  it("lets workers in one at a time, in the order they came, each once the one ahead has left", async () => {
    const lane = new StartLane();
    const inside: string[] = [];
    const leaves = new Map<string, () => void>();
    for (const name of ["a", "b", "c"]) {
      void lane.enter().then((leave) => {
        inside.push(name);
        leaves.set(name, leave);
      });
    }
    await drain();
    expect(inside).toEqual(["a"]);
    leaves.get("a")!();
    await drain();
    expect(inside).toEqual(["a", "b"]);
    leaves.get("b")!();
    await drain();
    expect(inside).toEqual(["a", "b", "c"]);
  });

  it("counts a second leave by the same worker as nothing", async () => {
    const lane = new StartLane();
    const first = await lane.enter();
    let secondIn = false;
    let thirdIn = false;
    const second = lane.enter().then((leave) => {
      secondIn = true;
      return leave;
    });
    void lane.enter().then(() => {
      thirdIn = true;
    });
    first();
    first();
    await drain();
    expect([secondIn, thirdIn]).toEqual([true, false]);
    (await second)();
    await drain();
    expect(thirdIn).toBe(true);
  });
});
