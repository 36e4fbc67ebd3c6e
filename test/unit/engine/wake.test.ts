import { describe, expect, it } from "vitest";
import { Wake } from "../../../src/engine/wake.js";

describe("Wake", () => {
  it("wakes every current waiter on notify", async () => {
    const wake = new Wake();
    const woken: number[] = [];
    const a = wake.wait(60_000).then(() => woken.push(1));
    const b = wake.wait(60_000).then(() => woken.push(2));
    wake.notify();
    await Promise.all([a, b]);
    expect(woken.sort()).toEqual([1, 2]);
  });

  it("keeps a notify nobody was waiting for, for the next wait only", async () => {
    const wake = new Wake();
    wake.notify();
    let first = false;
    await wake.wait(60_000).then(() => {
      first = true;
    });
    expect(first).toBe(true);
    const outcome = await Promise.race([wake.wait(30).then(() => "timed out"), Promise.resolve("immediate")]);
    expect(outcome).toBe("immediate");
    // The second wait was not pre-notified: it only ends by its timer.
    let ended = false;
    const second = wake.wait(20).then(() => {
      ended = true;
    });
    await Promise.resolve();
    expect(ended).toBe(false);
    await second;
    expect(ended).toBe(true);
  });
});
