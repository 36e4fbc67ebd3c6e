import { describe, expect, it } from "vitest";
import { parsePlan } from "../../../src/plan/index.js";

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;

describe("plan shapes and headings", () => {
  it("headings inside fenced code blocks are text, not tasks", () => {
    const plan = parsePlan(
      lines(
        "### Task 1: Write the README",
        "",
        "**Files:**",
        "- Create: `README.md`",
        "",
        "````markdown",
        "## Batch 9: not a batch",
        "### Task 9.9: not a task",
        "```",
        "### Task 9.8: still not a task",
        "````",
        "",
        "~~~",
        "# Task 7: nor this",
        "~~~",
      ),
    );
    expect(plan.shape).toBe("flat");
    expect(plan.tasks.map((t) => t.id)).toEqual(["1"]);
    expect(plan.tasks[0]!.codeBlocks.map((c) => c.lang)).toEqual(["markdown", null]);
    expect(plan.tasks[0]!.codeBlocks[0]!.value).toContain("### Task 9.9: not a task");
  });

  it("accepts Phase headings, tasks at other levels and ids such as 1.1a and 3a", () => {
    const plan = parsePlan(
      lines(
        "# Plan",
        "## Phase 1: Setup",
        "#### Task 1.1a: first",
        "**Files:** `a`",
        "## Phase 2 — Build",
        "**Dependencies:** None",
        "## Task 3a: loose",
        "**Files:** `b`",
      ),
    );
    expect(plan.shape).toBe("batched");
    expect(plan.batches.map((b) => [b.id, b.title, b.dependsOn, b.tasks])).toEqual([
      ["1", "Setup", [], ["1.1a"]],
      ["2", "Build", [], ["3a"]],
    ]);
    expect(plan.tasks.map((t) => [t.id, t.title])).toEqual([
      ["1.1a", "first"],
      ["3a", "loose"],
    ]);
  });

  it("a batch without a Dependencies line depends on the one before it; None makes it independent", () => {
    const plan = parsePlan(
      lines(
        "## Batch 1: A",
        "### Task 1.1: a",
        "x",
        "## Batch 2: B",
        "### Task 2.1: b",
        "x",
        "## Batch 3: C",
        "**Dependencies:** None",
        "### Task 3.1: c",
        "x",
        "## Batch 4: D",
        "**Dependencies:** Batch 1, Batch 3",
        "**Execution Mode:** parallel",
        "### Task 4.1: d",
        "x",
      ),
    );
    expect(plan.batches.map((b) => [b.id, b.dependsOn, b.executionMode])).toEqual([
      ["1", [], undefined],
      ["2", ["1"], undefined],
      ["3", [], undefined],
      ["4", ["1", "3"], "parallel"],
    ]);
  });

  it("headings like 'Task Overview' stay plain headings", () => {
    const plan = parsePlan(lines("# Plan", "## Task Overview", "text", "### Task 1: real", "x"));
    expect(plan.tasks.map((t) => t.id)).toEqual(["1"]);
    expect(plan.context).toBe("## Task Overview\ntext");
  });

  it("a task ends at a heading no deeper than its own; deeper headings belong to it", () => {
    const plan = parsePlan(
      lines("### Task 1: a", "#### Details", "inside", "### Task 2: b", "x", "## Appendix", "outside"),
    );
    expect(plan.tasks[0]!.body).toBe("### Task 1: a\n#### Details\ninside");
    expect(plan.tasks[1]!.body).toBe("### Task 2: b\nx");
  });
});

describe("task fields", () => {
  const one = (...ls: string[]) =>
    parsePlan(lines("### Task 1: t", ...ls, "", "### Task 2: other", "", "x")).tasks[0]!;

  it("Files in every common spelling", () => {
    const t = one(
      "**Files:**",
      "- **Create:** `src/a.ts`",
      "- Modify: `src/b.ts:12-40`, `src/c.ts`",
      "- Delete: old/thing.js",
      "- Tests: `test/a.test.ts`",
      "- Reference: `docs/x.md`",
      "- `plain/path.ts`",
      "- Create:",
      "  - `nested/one.ts`",
      "  - `nested/two.ts`",
      "- `./dot/slash.ts` — what changes",
      '- Create: "quoted path.txt"',
    );
    expect(t.files).toEqual([
      { path: "src/a.ts", kind: "create" },
      { path: "src/b.ts", kind: "modify", lines: "12-40" },
      { path: "src/c.ts", kind: "modify" },
      { path: "old/thing.js", kind: "delete" },
      { path: "test/a.test.ts", kind: "test" },
      { path: "docs/x.md", kind: "read" },
      { path: "plain/path.ts", kind: "unspecified" },
      { path: "nested/one.ts", kind: "create" },
      { path: "nested/two.ts", kind: "create" },
      { path: "./dot/slash.ts", kind: "unspecified", note: "what changes" },
      { path: "quoted path.txt", kind: "create" },
    ]);
  });

  it("Files given on the field line itself", () => {
    expect(one("**Files:** `a.ts`, `b.ts`").files).toEqual([
      { path: "a.ts", kind: "unspecified" },
      { path: "b.ts", kind: "unspecified" },
    ]);
  });

  it("Depends on with or without the word Task", () => {
    const plan = parsePlan(
      lines(
        "### Task 1.1: a",
        "x",
        "### Task 1.2: b",
        "x",
        "### Task 1.3: c",
        "**Depends on:** 1.1, 1.2",
        "### Task 1.4: d",
        "**Depends on:** Tasks 1.1 and 1.3",
        "### Task 1.5: e",
        "**Depends on:** None",
      ),
    );
    expect(plan.tasks.map((t) => t.dependsOn)).toEqual([[], [], ["1.1", "1.2"], ["1.1", "1.3"], []]);
  });

  it("Status, Agent, Changes and Commit", () => {
    const t = one(
      "**Status:** completed",
      "**Agent:** `codex`",
      "**Changes:** none",
      "**Commit:** `chore: tidy`",
    );
    expect([t.skip, t.agent, t.allowNoChanges, t.commit]).toEqual([true, "codex", true, "chore: tidy"]);
    const u = one("**Status:** pending", "**Files:** `a`");
    expect([u.skip, u.allowNoChanges]).toEqual([false, false]);
  });

  it("Verification: backticked bullets and Run: lines are commands, the rest instructions", () => {
    const t = one(
      "**Verification:** `npm run lint`",
      "- `npm test`",
      '- `cat "a b.txt"`',
      "- Run: `make check`",
      "- The page shows `OK`",
      "- cat plain.txt",
      "",
      "```sh",
      "$ npm run build",
      "# a comment",
      "",
      "docker run \\",
      "  --rm image",
      "```",
      "",
      "Open the app and look.",
    );
    expect(t.verification).toEqual({
      commands: [
        "npm run lint",
        "npm test",
        'cat "a b.txt"',
        "make check",
        "npm run build",
        "docker run --rm image",
      ],
      instructions: ["The page shows OK", "cat plain.txt", "Open the app and look."],
    });
  });

  it("Implementation is the field's content; fields as sub-headings work too", () => {
    const t = one(
      "Intro text.",
      "",
      "#### Files",
      "- `a.py`",
      "",
      "#### Implementation",
      "Do **this**.",
      "",
      "More.",
    );
    expect(t.files).toEqual([{ path: "a.py", kind: "unspecified" }]);
    expect(t.implementation).toBe("Do **this**.\n\nMore.");
  });

  it("code block paths come from the list item before the block", () => {
    const t = one(
      "**Files:**",
      "- Create: `a.txt`",
      "- Create: `b.txt`",
      "",
      "**Implementation:**",
      "1. `a.txt` with:",
      "   ```",
      "   A",
      "   ```",
      "2. then b.txt with:",
      "   ```",
      "   B",
      "   ```",
      "",
      "Unrelated:",
      "```",
      "C",
      "```",
    );
    expect(t.codeBlocks.map((c) => [c.value, c.path])).toEqual([
      ["A", "a.txt"],
      ["B", "b.txt"],
      ["C", undefined],
    ]);
  });

  it("one code block and one created file: the block gets the file's path", () => {
    const t = one(
      "**Files:**",
      "- Create: `only.txt`",
      "",
      "**Implementation:**",
      "Write this:",
      "```",
      "content",
      "```",
    );
    expect(t.codeBlocks).toEqual([{ lang: null, value: "content", path: "only.txt" }]);
  });

  it("all-read Files let a task finish without changes", () => {
    expect(one("**Files:**", "- Read: `a`", "- Read: `b`").allowNoChanges).toBe(true);
    expect(one("**Files:**", "- Read: `a`", "- Modify: `b`").allowNoChanges).toBe(false);
  });
});

describe("large plans", () => {
  it("a plan of many sections parses piecewise to the same tasks", () => {
    let text = "# Big\n\n";
    for (let i = 1; i <= 400; i++) {
      text += `### Task ${i}: t${i}\n\n**Files:**\n- Modify: \`f${i % 7}.ts\`\n\n\`\`\`bash\n# Task ${i + 1000}: not a heading\n\`\`\`\n\n`;
    }
    const plan = parsePlan(text);
    expect(plan.tasks).toHaveLength(400);
    expect(plan.tasks[399]!.pos).toEqual({ line: 3 + 399 * 9, column: 1 });
    expect(plan.tasks[8]!.inferredDependsOn).toEqual(["2"]);
    expect(plan.tasks.every((t) => t.codeBlocks.length === 1)).toBe(true);
  });
});
