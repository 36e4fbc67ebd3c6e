import { describe, expect, it } from "vitest";
import { nextTaskState } from "../../../src/store/sql/finish-attempt.js";
import { merge } from "../../../src/store/sql/leases.js";

const failed = (retryable: boolean, extra: { freeRetry?: boolean; notBefore?: number } = {}) =>
  ({ kind: "failed", reason: "x", retryable, exitCode: 1, logPath: null, ...extra }) as const;

describe("nextTaskState: the retry policy of a finished attempt", () => {
  it("completes on success", () => {
    const ok = { kind: "succeeded", resultCommit: "c", exitCode: 0, logPath: null } as const;
    expect(nextTaskState(ok, 3, 3)).toEqual({ status: "completed", maxAttempts: 3, notBefore: null });
  });

  it("re-queues a retryable failure while attempts remain, carrying notBefore", () => {
    expect(nextTaskState(failed(true, { notBefore: 9 }), 1, 3)).toEqual({
      status: "queued",
      maxAttempts: 3,
      notBefore: 9,
    });
    expect(nextTaskState(failed(true), 3, 3)).toEqual({ status: "failed", maxAttempts: 3, notBefore: null });
  });

  it("fails a non-retryable failure even with attempts left", () => {
    expect(nextTaskState(failed(false), 1, 3).status).toBe("failed");
    expect(nextTaskState(failed(false, { freeRetry: true }), 1, 3).status).toBe("failed");
  });

  it("gives the attempt back on a free retry, even at the limit", () => {
    expect(nextTaskState(failed(true, { freeRetry: true }), 3, 3)).toEqual({
      status: "queued",
      maxAttempts: 4,
      notBefore: null,
    });
  });
});

describe("merge: JSON columns patched by updateAttempt and finishAttempt", () => {
  it("merges a patch into stored JSON text or a parsed object", () => {
    expect(merge('{"claimMs":1}', { agentMs: 2 })).toEqual({ claimMs: 1, agentMs: 2 });
    expect(merge({ claimMs: 1 }, { claimMs: 5 })).toEqual({ claimMs: 5 });
    expect(merge(null, { turns: 1 })).toEqual({ turns: 1 });
  });

  it("clears on a null patch", () => {
    expect(merge('{"a":1}', null)).toBeNull();
  });
});
