import { afterEach, describe, expect, it, vi } from "vitest";
import { CommitGate } from "../../../src/engine/commit-gate.js";

/** Whether `p` has settled, without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("CommitGate", () => {
  it("holds the commit until the next agent starts", async () => {
    const gate = new CommitGate(50);
    gate.arm();
    expect(await settled(gate.ready)).toBe(false);
    gate.open();
    expect(await settled(gate.ready)).toBe(true);
  });

  it("lets the commit go once maxMs have passed since the agent finished, not since the claim", async () => {
    vi.useFakeTimers();
    const gate = new CommitGate(50);
    // Before arm (the agent still running), no time limit applies.
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(gate.ready)).toBe(false);
    gate.arm();
    await vi.advanceTimersByTimeAsync(49);
    expect(await settled(gate.ready)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(gate.ready)).toBe(true);
  });

  it("opens at once when there is no next agent, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const gate = new CommitGate(50);
    gate.arm();
    expect(vi.getTimerCount()).toBe(1);
    gate.open();
    expect(await settled(gate.ready)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    gate.arm();
    expect(vi.getTimerCount()).toBe(0);
  });
});
