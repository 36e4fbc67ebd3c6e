import { describe, expect, it } from "vitest";
import { runPullBody, TASK_MARKER, taskPullBody, taskPullTitle } from "../../../src/forge/index.js";

describe("pull request bodies", () => {
  const info = {
    runId: "exec_1",
    taskId: "1.2",
    title: "Add the | parser",
    files: ["src/parse.ts", "test/parse.test.ts"],
    verification: ["npm test"],
    agent: "claude",
    costUsd: 0.1234,
    inputTokens: 1200,
    outputTokens: 340,
    dependsOn: [{ taskId: "1.1", pull: 7 }],
    runLink: "http://127.0.0.1:8080/runs/exec_1",
  };

  it("says the task id, files, verification, agent, cost, tokens, its dependency and the run", () => {
    const body = taskPullBody(info);
    expect(body.startsWith(TASK_MARKER)).toBe(true);
    for (const text of [
      "**1.2**",
      "`exec_1`",
      "`src/parse.ts`",
      "`test/parse.test.ts`",
      "✅ `npm test`",
      "| claude | $0.1234 | 1200 / 340 |",
      "#7 (task 1.1)",
      "http://127.0.0.1:8080/runs/exec_1",
    ]) {
      expect(body).toContain(text);
    }
    expect(body).toContain("Add the \\| parser");
  });

  it("points at `orchard status` when there is no dashboard link", () => {
    expect(taskPullBody({ ...info, runLink: undefined, dependsOn: [] })).toContain("`orchard status exec_1`");
  });

  it("titles the pull request with the task", () => {
    expect(taskPullTitle(info)).toBe("Task 1.2: Add the | parser");
  });

  it("summarises a run as a table with one row a task and the total cost", () => {
    const body = runPullBody("exec_1", [
      { taskId: "1", title: "one", status: "landed", agent: "codex", costUsd: 0.5 },
      { taskId: "2", title: "two", status: "failed" },
    ]);
    expect(body).toContain("2 tasks, $0.5000 in total");
    expect(body).toContain("| 1 | one | landed | codex | $0.5000 | — / — |");
    expect(body).toContain("| 2 | two | failed |  | — | — / — |");
  });
});
