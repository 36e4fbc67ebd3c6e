import { describe, expect, it } from "vitest";
import { parsePlan } from "../../../src/plan/index.js";
import { task } from "./helpers.js";

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;

describe("reading fields as a person does", () => {
  it("fields written on consecutive lines, as in the README, are separate fields (no silent success)", () => {
    const plan = parsePlan(
      lines(
        "## Batch 1: Title",
        "**Dependencies:** None",
        "",
        "### Task 1.0: First",
        "**Files:** `a.ts`",
        "",
        "### Task 1.1: Create the parser",
        "**Files:**",
        "- Create: `src/parser.ts`",
        "- Modify: `src/index.ts:12-40`",
        "**Depends on:** Task 1.0",
        "**Implementation:** free text",
        "**Verification:**",
        "- `false`",
        "- The parser handles empty input",
        "**Commit:** Add the parser",
        "**Agent:** codex",
      ),
    );
    const t = task(plan, "1.1");
    expect(t.files.map((f) => [f.path, f.kind])).toEqual([
      ["src/parser.ts", "create"],
      ["src/index.ts", "modify"],
    ]);
    expect(t.dependsOn).toEqual(["1.0"]);
    expect(t.verification.commands).toEqual(["false"]);
    expect(t.verification.instructions).toEqual(["The parser handles empty input"]);
    expect(t.commit).toBe("Add the parser");
    expect(t.agent).toBe("codex");
    expect(t.implementation).toBe("free text");
  });

  it("a field line right after a nested bullet or a quote also starts a new field", () => {
    const plan = parsePlan(
      lines(
        "### Task 1: One",
        "**Files:**",
        "- Create:",
        "  - `a.ts`",
        "**Verification:**",
        "> note",
        "**Status:** completed",
      ),
    );
    const t = task(plan, "1");
    expect(t.files.map((f) => f.path)).toEqual(["a.ts"]);
    expect(t.skip).toBe(true);
  });
});

const one = (...body: string[]) => parsePlan(lines("### Task 1: One", ...body)).tasks[0]!;
const paths = (t: { files: { path: string }[] }) => t.files.map((f) => f.path);

describe("reading rules of issue 22", () => {
  it("a checkbox or **Step N** bullet ends the Files list, with or without a blank line", () => {
    for (const gap of [[], [""]]) {
      const t = one(
        "**Files:**",
        "- Modify: `skills/writing-plans/SKILL.md:40-55`",
        "- Test: `tests/review.test.ts`",
        ...gap,
        "- [ ] **Step 1:** Write the failing test",
        "- [x] **Step 2:** Run it and watch it fail",
      );
      expect(paths(t)).toEqual(["skills/writing-plans/SKILL.md", "tests/review.test.ts"]);
      expect(t.fileNotes).toBeUndefined();
      expect(t.implementation).toContain("Step 1");
    }
    expect(paths(one("**Files:**", "- `a.ts`", "- **Step 1:** edit it"))).toEqual(["a.ts"]);
    const lazy = one("**Files:**", "- Create: `a.py`", "**Step 1: Write the failing test**", "text");
    expect(lazy.files).toEqual([{ path: "a.py", kind: "create" }]);
    expect(lazy.steps).toEqual(["Step 1: Write the failing test"]);
  });

  it("annotations after a path are kept as the file's note, not read as paths", () => {
    const t = one(
      "**Files:**",
      "- Modify: `src/a.ts:60-67,107-122`",
      "- Modify: `src/b.ts` (lines ~43, ~72)",
      "- `src/c.ts` (new)",
      "- src/d.ts — add the route",
      "- Create: `.worktrees/x.md` (only if .worktrees/ is not ignored)",
      "- Modify `x3/hash.h` (near `reg_del`, :441-446), `x3/hash.c` + `x3/hash_test.c`",
    );
    expect(t.files).toEqual([
      { path: "src/a.ts", kind: "modify", lines: "60-67,107-122" },
      { path: "src/b.ts", kind: "modify", note: "lines ~43, ~72" },
      { path: "src/c.ts", kind: "create", note: "new" },
      { path: "src/d.ts", kind: "unspecified", note: "add the route" },
      { path: ".worktrees/x.md", kind: "create", note: "only if .worktrees/ is not ignored" },
      { path: "x3/hash.h", kind: "modify", note: "near `reg_del`, :441-446" },
      { path: "x3/hash.c", kind: "modify" },
      { path: "x3/hash_test.c", kind: "modify" },
    ]);
  });

  it("**File(s)**: and **File:** inline, several paths in one bullet, a sibling written `+ _test.go`", () => {
    expect(paths(one("**File(s)**: `a.ts`, `b.ts` and `c.ts`"))).toEqual(["a.ts", "b.ts", "c.ts"]);
    expect(paths(one("**File:** `main.rs:321`"))).toEqual(["main.rs"]);
    expect(paths(one("**Files:**", "- Create: `ctl/wallet.go` + `_test.go`"))).toEqual([
      "ctl/wallet.go",
      "ctl/wallet_test.go",
    ]);
    // The lines after **Files:** in its paragraph continue it.
    expect(paths(one("**Files:** Modify `a/x.c` (near", "`f`), `a/y.c`."))).toEqual(["a/x.c", "a/y.c"]);
  });

  it("bullets under Files that name no file are notes of the task, never files", () => {
    const t = one(
      "**Files:**",
      "- No new files - verification task",
      "- Check: all new files exist",
      "- `git status`",
      "- cd ui && npm run build",
      "- Tailwind config files as required by the setup",
      "- Modify: `src/real.ts`",
    );
    expect(paths(t)).toEqual(["src/real.ts"]);
    expect(t.fileNotes).toEqual([
      "No new files - verification task",
      "Check: all new files exist",
      "git status",
      "cd ui && npm run build",
      "Tailwind config files as required by the setup",
    ]);
    const plan = parsePlan(lines("### Task 1: One", "**Files:**", "- Check: all new files exist"));
    expect(plan.warnings.find((w) => w.code === "FILES_NOTE")?.pos?.line).toBe(2);
  });

  it("✅, COMPLETE and DONE on a task or batch heading, or **Status:** ✅ Complete, mean completed", () => {
    const plan = parsePlan(
      lines(
        "## Phase 1: Setup ✅ COMPLETE",
        "### Task 1.1: Define the token",
        "**Files:** `a`",
        "## Phase 2: Build",
        "### Task 2.1: Define the token ✅ COMPLETE",
        "**Files:** `a`",
        "### ✅ Task 2.2: Next",
        "**Files:** `b`",
        "### Task 2.3: Mark tasks as done",
        "**Files:** `c`",
        "### Task 2.4: Last [DONE]",
        "**Files:** `d`",
        "### Task 2.5: Status",
        "**Status:** ✅ Complete",
        "### Task 2.6: Bullet status",
        "- **Status:** [x] Completed",
        "- **Depends on:** Task 2.5",
      ),
    );
    expect(plan.tasks.map((t) => [t.id, t.title, t.skip])).toEqual([
      ["1.1", "Define the token", true],
      ["2.1", "Define the token", true],
      ["2.2", "Next", true],
      ["2.3", "Mark tasks as done", false],
      ["2.4", "Last", true],
      ["2.5", "Status", true],
      ["2.6", "Bullet status", true],
    ]);
    expect(plan.batches[0]!.title).toBe("Setup");
    expect(plan.tasks[6]!.dependsOn).toEqual(["2.5"]);
  });

  it("em-dash headings and odd ids are accepted as written", () => {
    const plan = parsePlan(
      lines(
        "### Task 4 — `src/api.ts`",
        "x",
        "### Task 1A: a",
        "x",
        "### Task 4b: b",
        "x",
        "### Task 17.5: c",
        "x",
        "### Task P1.2: d",
        "x",
      ),
    );
    expect(plan.tasks.map((t) => [t.id, t.title])).toEqual([
      ["4", "src/api.ts"],
      ["1A", "a"],
      ["4b", "b"],
      ["17.5", "c"],
      ["P1.2", "d"],
    ]);
  });

  it("numbered headings under a phase are its tasks; sub-headings of a task stay its text", () => {
    const plan = parsePlan(
      lines(
        "## Phase 1 — Correctness",
        "### 1A. Remove the clone",
        "**File:** `main.rs:321`",
        "### 1B. Fix precedence",
        "**Depends on:** 1A (same file)",
        "## Phase 2: Docs",
        "### 2.2 Background",
        "Sections numbered as documents number them stay headings.",
        "## Task 2.1: Write",
        "### 2.1.1 Outline",
        "text",
        "### 1. Goals",
        "text",
      ),
    );
    expect(plan.tasks.map((t) => [t.id, paths(t), t.dependsOn])).toEqual([
      ["1A", ["main.rs"], []],
      ["1B", [], ["1A"]],
      ["2.1", [], []],
    ]);
  });
});

describe("headings a person sees", () => {
  it("a code fence nested in a heredoc that closes the outer block early does not hide the next task", () => {
    const plan = parsePlan(
      lines(
        "### Task 1: Write the skill",
        "**Files:**",
        "- Create: `skills/x/SKILL.md`",
        "",
        "```bash",
        "cat > skills/x/SKILL.md <<'EOF'",
        "# Example",
        "```python",
        "print(1)",
        "```",
        "EOF",
        "```",
        "",
        "### Task 2: Test the skill",
        "**Files:**",
        "- Create: `tests/x.test.ts`",
        "",
        "```bash",
        "npx vitest run tests/x.test.ts",
        "```",
        "",
        "### Task 3: Document it",
        "**Files:** `README.md`",
      ),
    );
    expect(plan.tasks.map((t) => [t.id, paths(t)])).toEqual([
      ["1", ["skills/x/SKILL.md"]],
      ["2", ["tests/x.test.ts"]],
      ["3", ["README.md"]],
    ]);
    expect(task(plan, "2").codeBlocks.map((c) => c.value)).toEqual(["npx vitest run tests/x.test.ts"]);
    expect(plan.warnings.filter((w) => w.code === "STRAY_FENCE").map((w) => w.pos?.line)).toEqual([12]);
  });

  it("a balanced fence that shows a task heading as an example keeps it as code", () => {
    const plan = parsePlan(lines("### Task 1: a", "**Files:** `a`", "", "~~~", "### Task 7: example", "~~~"));
    expect(plan.tasks.map((t) => t.id)).toEqual(["1"]);
    const sample = parsePlan(
      lines(
        "### Task 1: a",
        "**Files:** `a`",
        "",
        "````",
        "### Task 7: example",
        "```bash",
        "x",
        "```",
        "````",
      ),
    );
    expect(sample.tasks.map((t) => t.id)).toEqual(["1"]);
    expect(sample.warnings.filter((w) => w.code === "STRAY_FENCE")).toEqual([]);
  });
});

describe("notes a person skips, with a warning", () => {
  it("a batch heading repeated later with no tasks under it is a note, not a duplicate", () => {
    const plan = parsePlan(
      lines(
        "## Batch 1: Setup",
        "### Task 1.1: a",
        "**Files:** `a`",
        "## Batch 2: Build",
        "### Task 2.1: b",
        "**Files:** `b`",
        "## Summary",
        "## Batch 1: Setup",
        "All of setup, done first.",
        "## Batch 2: Build",
        "Then the build.",
      ),
    );
    expect(plan.batches.map((b) => [b.id, b.index, b.tasks])).toEqual([
      ["1", 0, ["1.1"]],
      ["2", 1, ["2.1"]],
    ]);
    expect(plan.warnings.filter((w) => w.code === "BATCH_REPEATED").map((w) => w.pos?.line)).toEqual([8, 10]);
  });

  it("a plural range heading is a note with a warning; the task before it ends there", () => {
    const plan = parsePlan(
      lines(
        "### Task 3.3: One",
        "**Files:** `a`",
        "### Tasks 3.4-3.15: Remaining migrations",
        "- **Files:** `b`",
      ),
    );
    expect(plan.tasks.map((t) => [t.id, paths(t)])).toEqual([["3.3", ["a"]]]);
    expect(plan.warnings.find((w) => w.code === "TASK_RANGE_HEADING")?.pos?.line).toBe(3);
  });
});
