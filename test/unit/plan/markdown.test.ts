import fc from "fast-check";
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { parseBlocks } from "../../../src/plan/markdown.js";

/** Node types and positions, enough to tell two parses apart. */
const shape = (n: Nodes): unknown => ({
  type: n.type,
  at: [n.position?.start.offset, n.position?.end.offset, n.position?.start.line, n.position?.start.column],
  ...("value" in n ? { value: n.value } : {}),
  ...("children" in n ? { children: n.children.map(shape) } : {}),
});

const whole = (text: string) => fromMarkdown(text).children.map(shape);
// Chunk size 1 cuts before every candidate heading: the hardest case for piecewise parsing.
const pieces = (text: string) => parseBlocks(text, 1).map(shape);

const line = fc.constantFrom(
  "# Title",
  "## Batch 1: A",
  "### Task 1: t",
  "#### Task 2",
  "#notaheading",
  "text",
  "**Files:**",
  "- `a.ts`",
  "  - nested",
  "1. item",
  "   ```",
  "```",
  "```js",
  "``` a`b",
  "````",
  "~~~",
  "    indented",
  "> quote",
  "> ```",
  "<!-- open",
  "-->",
  "<div>",
  "</div>",
  "<pre>",
  "</pre>",
  "<?php",
  "?>",
  "",
  "---",
  "===",
);

describe("piecewise markdown parsing", () => {
  it("gives the same blocks as parsing the whole text", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), (ls, eol) => {
        const text = ls.join(eol);
        expect(pieces(text)).toEqual(whole(text));
      }),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 500) },
    );
  });

  it("does not split inside an open fence, HTML block or comment", () => {
    for (const text of [
      "- a\n  ```\n  x\nplain\n```bash\n# comment\n```\n",
      "<div>\n# inside html\n</div>\n",
      "<!--\n# inside comment\n-->\n# after\n",
      "```\n# in code\n",
      "> ```\n# closes the quote\n",
    ]) {
      expect(pieces(text)).toEqual(whole(text));
    }
  });
});
