import { describe, expect, it } from "vitest";
import { exitCodeFor, resultLines } from "../../../src/cli/progress/summary.js";
import type { RunResult } from "../../../src/engine/index.js";
import type { RunId } from "../../../src/store/types.js";

const base: RunResult = {
  runId: "exec_1" as RunId,
  status: "succeeded",
  reason: null,
  integrationBranch: "orchard/exec_1/integration",
  integrationHead: "a".repeat(40),
  tasks: [],
  durationMs: 1000,
};

describe("a run's pull requests in its summary", () => {
  it("lists each pull request with its state, and GitHub's reason when it did not merge", () => {
    const lines = resultLines({
      ...base,
      pulls: [
        { taskId: "1", number: 4, url: "https://github.com/a/b/pull/4", state: "merged" },
        {
          taskId: "2",
          number: 5,
          url: "https://github.com/a/b/pull/5",
          state: "blocked",
          reason: "checks failed on #5: ci",
        },
      ],
    });
    expect(lines).toContain("pull request #4 (task 1): merged https://github.com/a/b/pull/4");
    expect(lines).toContain(
      "pull request #5 (task 2): not merged: checks failed on #5: ci https://github.com/a/b/pull/5",
    );
  });

  it("exits 1 when --merge was asked and a pull request did not merge, 0 when all did", () => {
    const merged = { taskId: "1", number: 4, url: "u", state: "merged" as const };
    expect(exitCodeFor({ ...base, pulls: [merged] }, false)).toBe(0);
    expect(exitCodeFor({ ...base, pulls: [merged, { ...merged, state: "blocked" }] }, false)).toBe(1);
    expect(exitCodeFor({ ...base, pulls: [{ ...merged, state: "open" }] }, false)).toBe(0);
  });
});
