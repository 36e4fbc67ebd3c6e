import { readdirSync } from "node:fs";
import fc from "fast-check";
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as textOf } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { parseBlocks } from "../../../src/plan/markdown.js";
import { SEED_DIR, seedText } from "./helpers.js";

const seeds = readdirSync(SEED_DIR)
  .filter((n) => n.endsWith(".md"))
  .map(seedText);

/** Where a node starts and ends; `loose` leaves out the end (see unclosedFence). */
const at = (n: Nodes, loose: boolean) => {
  const p = n.position;
  const start = [p?.start.line, p?.start.column, p?.start.offset];
  return loose ? start : [...start, p?.end.line, p?.end.column, p?.end.offset];
};

// Known, legitimate differences between CommonMark (commonmark.js) and micromark, normalised here:
// - commonmark turns CRLF inside code, HTML and text values into LF; micromark keeps the document's.
// - Code spans that run over several lines: commonmark drops the indentation of continuation lines before
//   parsing inlines, micromark keeps it in the span's value. Not generated below.
// - Pathological runs of `*`/`_` mixed with brackets (`[:**a*#**](x)`) can nest emphasis differently, and
//   the generators below stick to the inline markdown plans use.
// - Right after indented code, micromark reads a list item that could not interrupt a paragraph (an empty
//   one, or an ordered one not starting at 1) as paragraph text; commonmark starts a list, as the spec
//   says (indented code is not a paragraph). Such documents are skipped.
// - Link reference definitions: commonmark resolves and drops them; micromark keeps `definition` nodes.
// - A code fence nobody closes runs to the end of its container. micromark then ends the block (and the
//   list items around it) at the start of the next line and leaves trailing blank lines out of its value;
//   commonmark ends it on its last line and keeps them. Documents with an open fence are compared without
//   end positions and with trailing line endings of code values trimmed.
const lf = (v: string) => v.replace(/\r\n?/g, "\n");

/** What the plan parser reads of a node: its kind, place, text, and the same of its children. */
const shape = (n: Nodes, loose = false): unknown => ({
  type: n.type,
  at: at(n, loose),
  ...(n.type === "heading" ? { depth: n.depth, text: lf(textOf(n)) } : {}),
  ...(n.type === "code" ? { lang: n.lang, meta: n.meta, value: codeValue(n.value, loose) } : {}),
  ...(n.type === "list" ? { ordered: n.ordered, start: n.start } : {}),
  ...("value" in n && n.type !== "code" ? { value: lf(n.value) } : {}),
  ...("children" in n ? { children: n.children.map((c) => shape(c, loose)) } : {}),
});

const codeValue = (v: string, loose: boolean) => (loose ? lf(v).replace(/\n+$/, "") : lf(v));

const FENCE = /^ *(`{3,}|~{3,})/;
const CLOSING = /^ *(`{3,}|~{3,})[ \t]*$/;

/** True when a fenced code block in the parse has no closing fence. */
function unclosedFence(text: string, nodes: Nodes[]): boolean {
  return nodes.some((n) => {
    if (n.type === "code") {
      const src = text.slice(n.position?.start.offset, n.position?.end.offset).split(/\r?\n/);
      const open = FENCE.exec(src[0] ?? "");
      const close = CLOSING.exec(src.at(-1) ?? "");
      return (
        open !== null &&
        (src.length < 2 || !close || close[1]![0] !== open[1]![0] || close[1]!.length < open[1]!.length)
      );
    }
    return "children" in n && unclosedFence(text, n.children);
  });
}

const compare = (text: string): [unknown, unknown] => {
  const mine = parseBlocks(text);
  const loose = unclosedFence(text, mine);
  return [mine.map((n) => shape(n, loose)), fromMarkdown(text).children.map((n) => shape(n, loose))];
};

const line = fc.constantFrom(
  "# Title",
  "## Batch 1: A",
  "### Task 1: t",
  "#### Task 2",
  "#notaheading",
  "Title\n===",
  "text",
  "  indented text",
  "**Files:**",
  "**Files**: `a.ts`",
  "**Dependencies:** None",
  "**Execution Mode:** parallel",
  "- `a.ts`",
  "- Create: `src/a.ts`",
  "- **Modify:** `b.ts:1-2` and `c.ts`",
  "  - nested",
  "1. item",
  "2) item",
  "   ```",
  "```",
  "```js meta data",
  "````",
  "~~~",
  "    indented",
  "> quote",
  "> **Note:** quoted",
  "<div>",
  "</div>",
  "<!-- comment -->",
  "",
  "---",
  "***",
  "**Step 1: go** then *this*",
  "a line with `code` and **bold**",
  'see [the docs](https://x.y/z "t") and ![img](a.png)',
  "<https://auto.link> and <b>html</b>",
  "escaped \\* star &amp; entity",
  "trailing  ",
  "tab\t",
  "hard\\",
  "Run: `npm test`",
  "`` a ` b ``",
  "_under_ __score__ ***both***",
);

/** Seed plan text with lines deleted, doubled or replaced, cut to a window so each case stays small. */
const mutatedSeed = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.nat(),
    fc.array(fc.record({ op: fc.integer({ min: 0, max: 2 }), at: fc.nat(), line }), { maxLength: 8 }),
  )
  .map(([text, from, edits]) => {
    const all = text.split("\n");
    const start = from % Math.max(1, all.length - 60);
    const lines = all.slice(start, start + 60);
    for (const { op, at, line: l } of edits) {
      const i = at % Math.max(1, lines.length);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[i] ?? "");
      else lines.splice(i, 0, l);
    }
    return lines.join("\n");
  });

const LIST_AFTER_INDENTED_CODE = /^(?: {4}|\t).*\r?\n(?: {0,3})(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/m;

function check(text: string): void {
  fc.pre(!LIST_AFTER_INDENTED_CODE.test(text));
  const [mine, theirs] = compare(text);
  expect(mine).toEqual(theirs);
}

const runs = Number(process.env.PLAN_FUZZ_RUNS ?? 400);

describe("commonmark adapter", () => {
  it("agrees with mdast-util-from-markdown on random plan-like documents", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), (ls, eol) => {
        check(ls.join(eol));
      }),
      { numRuns: runs },
    );
  });

  it("agrees with mdast-util-from-markdown on mutated seed plans", () => {
    fc.assert(
      fc.property(mutatedSeed, (text) => check(text)),
      { numRuns: runs },
    );
  });

  it("gives the same blocks parsed in pieces as parsed whole", () => {
    const whole = (text: string) => parseBlocks(text, undefined, Number.POSITIVE_INFINITY);
    // Piece size 1 cuts before every candidate heading: the hardest case for piecewise parsing.
    const pieces = (text: string) => parseBlocks(text, undefined, 1);
    const piecesLine = fc.oneof(
      line,
      fc.constantFrom(
        "<!-- open",
        "-->",
        "<pre>",
        "</pre>",
        "<?php",
        "?>",
        "<![CDATA[",
        "]]>",
        "<!X",
        "# in",
      ),
    );
    fc.assert(
      fc.property(fc.array(piecesLine, { maxLength: 30 }), fc.constantFrom("\n", "\r\n", "\r"), (ls, eol) => {
        const text = ls.join(eol);
        expect(pieces(text)).toEqual(whole(text));
      }),
      { numRuns: runs },
    );
    for (const text of [
      "- a\n  ```\n  x\nplain\n```bash\n# comment\n```\n",
      "<div>\n# inside html\n</div>\n",
      "<!--\n# inside comment\n-->\n# after\n",
      "```\n# in code\n",
      "> ```\n# closes the quote\n",
      "# a\n\n[ref]: https://x\n# b\n\n[link][ref]\n",
    ]) {
      expect(pieces(text)).toEqual(whole(text));
    }
  });

  it("agrees on whole seed plans", () => {
    for (const text of seeds) check(text);
  });

  it("puts inline nodes on their own source lines, with exact offsets", () => {
    const text = "- item\n\n  **Dependencies:** None\n  **Execution Mode:** parallel  \n  `x`\\\n  end";
    const para = parseBlocks(text)[0];
    expect(para?.type).toBe("list");
    check(text);
  });

  it("marks lines the way the text numbers them with lone CR line endings", () => {
    check("# T\r## Batch 1\r\r**Files:** `a`\rmore\r");
  });
});
