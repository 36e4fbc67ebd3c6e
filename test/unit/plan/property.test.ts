import { readdirSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Plan, PlanError, parsePlan, planGraph } from "../../../src/plan/index.js";
import { fixture, SEED_DIR, seedText } from "./helpers.js";

const seeds = readdirSync(SEED_DIR)
  .filter((n) => n.endsWith(".md"))
  .map(seedText);
const flatFixture = fixture("flat-rate-limiter.md");

/** Lines people (and typos) put in plans: headings, fields, fences, lists. */
const markdownLine = fc.oneof(
  fc.constantFrom(
    "## Batch 1: again",
    "## Batch 2: B",
    "## Phase 3",
    "### Task 1.1: dup",
    "### Task 9.9: new",
    "#### Task 2: deep",
    "### Task",
    "### Task x",
    "**Dependencies:** Batch 7",
    "**Dependencies:** None",
    "**Depends on:** Task 1.1",
    "**Depends on:** Task 1.2, 9.9",
    "**Depends on:**",
    "**Files:**",
    "- Create: `a b/c.txt:1-2`",
    "- Read:",
    "- ",
    "**Verification:**",
    "- `npm test`",
    "**Status:** completed",
    "**Execution Mode:** warp",
    "**Step 1: go**",
    "```",
    "````js",
    "~~~",
    "<!--",
    "-->",
    "<div>",
    "> quote",
    "    indented code",
    "---",
    "",
    "**",
    "`",
    "[link]: http://x",
  ),
  fc.string({ maxLength: 40 }),
);

function mutate(text: string, edits: { op: number; at: number; line: string }[]): string {
  const lines = text.split("\n");
  for (const { op, at, line } of edits) {
    const i = lines.length === 0 ? 0 : at % lines.length;
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[i] ?? "");
    else lines.splice(i, 0, line);
  }
  return lines.join("\n");
}

/** parsePlan must return a Plan or throw a PlanError: never a TypeError or anything else. */
function parseOrPlanError(text: string): Plan | PlanError {
  try {
    return parsePlan(text);
  } catch (err) {
    if (err instanceof PlanError) return err;
    throw err;
  }
}

describe("parsePlan on damaged input", () => {
  it("mutated seed plans give a Plan or a PlanError", () => {
    const edit = fc.record({ op: fc.integer({ min: 0, max: 2 }), at: fc.nat(), line: markdownLine });
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 12 }), (text, edits) => {
        const result = parseOrPlanError(mutate(text, edits));
        if (result instanceof PlanError) {
          expect(result.pos.line).toBeGreaterThanOrEqual(1);
          return;
        }
        expect(result.tasks.length).toBeGreaterThan(0);
        // A parsed plan always has a graph: its dependencies were checked.
        const g = planGraph(result, { parallel: true, fileGuard: true });
        expect(g.waves.flat().length).toBe(result.tasks.filter((t) => !t.skip).length);
      }),
      { numRuns: 300 },
    );
  });

  it("mutated flat plans give a Plan or a PlanError", () => {
    const text = [flatFixture.context, ...flatFixture.tasks.map((t) => t.body)].join("\n\n");
    const edit = fc.record({ op: fc.integer({ min: 0, max: 2 }), at: fc.nat(), line: markdownLine });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 15 }), (edits) => {
        const result = parseOrPlanError(mutate(text, edits));
        if (!(result instanceof PlanError)) planGraph(result, { parallel: false, fileGuard: true });
      }),
      { numRuns: 200 },
    );
  });

  it("random strings and random line soups give a Plan or a PlanError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.array(markdownLine, { maxLength: 40 }).map((ls) => ls.join("\n")),
        ),
        (text) => {
          parseOrPlanError(text);
        },
      ),
      { numRuns: 400 },
    );
  });
});
