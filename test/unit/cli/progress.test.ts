import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { summaryTable } from "../../../src/cli/progress/summary.js";
import { ttyProgress } from "../../../src/cli/progress/tty.js";
import type { RunId } from "../../../src/store/types.js";

function screen() {
  let text = "";
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY: true, columns: 120 },
  );
  return { out, text: () => text };
}

const runId = "exec_1" as RunId;

describe("live progress on a terminal (issue 21 item 5)", () => {
  it("a resumed run's header counts what is left, not N/0", () => {
    const s = screen();
    const view = ttyProgress(s.out, new Map(), 0);
    view.onEvent({ type: "run:started", runId, tasks: 3, workers: 2, resumed: true });
    view.onEvent({ type: "task:landed", runId, taskId: "2", commit: "abc" } as never);
    view.stop();
    expect(s.text()).toMatch(/orchard \(resumed\)\s+1\/3 landed/);
    expect(s.text()).not.toMatch(/\d+\/0 landed/);
  });

  it("shows a task re-run after a merge conflict as such, not as its second attempt", () => {
    const s = screen();
    const view = ttyProgress(s.out, new Map([["1.2", "Parser"]]), 2);
    view.onEvent({ type: "task:conflict", runId, taskId: "1.2", files: ["src/a.ts"], willRetry: true });
    view.onEvent({ type: "task:started", runId, taskId: "1.2", attempt: 2, slot: "wt-1", workerId: "w" });
    view.stop();
    expect(s.text()).toContain("Parser (re-run after a conflict in src/a.ts)");
    expect(s.text()).not.toContain("(attempt 2)");
  });

  it("the summary table says a task was re-run after a conflict", () => {
    const task = {
      taskId: "1.2",
      title: "Parser",
      status: "landed",
      landedCommit: "0123456789abcdef",
      reason: null,
      conflictRetries: 1,
    };
    const table = summaryTable([task as never], [], false, 160);
    expect(table).toContain("re-run 1× after a merge conflict");
  });
});
