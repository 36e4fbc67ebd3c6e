import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { refComponentProblem } from "../../../src/plan/ids.js";
import { parseError } from "./helpers.js";

const HEAD = "### Task 1: a\n**Files:** `a`\n\n";

describe("plan limits (issue 20 items 9 and 10)", () => {
  it("2600 nested quotes are a plan error with the line, not a stack overflow", () => {
    const e = parseError(`${HEAD}${"> ".repeat(2600)}x\n`);
    expect(e).toMatchObject({ code: "PLAN_TOO_DEEP", line: 4 });
    expect(e.message).toContain("flatten");
  });

  it("a list nested 1200 deep is a plan error naming the first line past the limit", () => {
    const list = Array.from({ length: 1200 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n");
    const e = parseError(`${HEAD}${list}\n`);
    // Line 4 holds depth 0; at depth 128, 256 columns of indentation and the space after "-" pass 256.
    expect(e).toMatchObject({ code: "PLAN_TOO_DEEP", line: 4 + 128 });
  });

  it("list markers stacked on one line count as nesting", () => {
    expect(parseError(`${HEAD}${"- ".repeat(1200)}x\n`)).toMatchObject({ code: "PLAN_TOO_DEEP", line: 4 });
  });

  it("a heading with 100,000 spaces is a plan error (commonmark's heading regex is quadratic)", () => {
    const e = parseError(`### Task 1: a${" ".repeat(100_000)}b\n**Files:** \`a\`\n`);
    expect(e).toMatchObject({ code: "PLAN_LINE_TOO_LONG", line: 1 });
  });

  it("a long line in a fenced code block is read; the same line as prose is an error", () => {
    const long = "x".repeat(30_000);
    expect(parseError(`${HEAD}${long}\n`)).toMatchObject({ code: "PLAN_LINE_TOO_LONG", line: 4 });
    expect(() => parseError(`${HEAD}\`\`\`\n${long}\n\`\`\`\n`)).toThrow("expected parsePlan to throw");
  });
});

describe("task ids are git ref components (issue 19 item 16)", () => {
  it("Task 1.lock is refused when the plan is read, with its line", () => {
    const e = parseError("### Task 1: a\n**Files:** `a`\n\n### Task 1.lock: b\n**Files:** `b`\n");
    expect(e).toMatchObject({ code: "PLAN_BAD_TASK_ID", line: 4 });
    expect(e.message).toContain(".lock");
  });

  it("agrees with git check-ref-format on every id", () => {
    const ids = [
      "1",
      "1.2",
      "1A",
      "4b",
      "17.5",
      "P1.2",
      "1-2",
      "1.lock",
      "1.lock.2",
      "..",
      "1..2",
      ".1",
      "1.",
      "a@{b",
      "@",
      "a@b",
      "1 2",
      "1~2",
      "1^",
      "1:2",
      "1?",
      "1*",
      "1[2",
      "1\\2",
      "1\u00072",
      "1\u007f",
      "1/2",
      "é1",
      "",
    ];
    for (const id of ids) {
      let git = true;
      try {
        execFileSync("git", ["check-ref-format", `refs/heads/orchard/run/tasks/${id}`], { stdio: "ignore" });
      } catch {
        git = false;
      }
      // "1/2" is a valid ref but two components: an id must be one.
      const mine = refComponentProblem(id) === undefined;
      expect({ id, ok: mine }).toEqual({ id, ok: git && !id.includes("/") && id !== "" });
    }
  });
});
