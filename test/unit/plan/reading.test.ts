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
