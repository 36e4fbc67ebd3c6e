import { type Node, Parser, XmlRenderer } from "commonmark";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineParser } from "../../../src/plan/commonmark.js";
import { lineStarts } from "../../../src/plan/lines.js";

// A renderer per call: XmlRenderer carries its last output over to the next render.
const xml = (doc: Node) => new XmlRenderer({ sourcepos: true }).render(doc);

/** What commonmark's own Parser.parse makes of lines `from` to `to` of the text. */
function reference(text: string, starts: number[], from: number, to: number): string {
  const piece = text.slice(starts[from], to < starts.length ? starts[to] : text.length);
  return xml(new Parser().parse(piece));
}

const line = fc.oneof(
  fc.constantFrom(
    "# Title",
    "### Task 1: t",
    "**Files:**",
    "- Create: `src/a.ts`",
    "  - nested",
    "1. item",
    "```js",
    "```",
    "    indented",
    "> quote",
    "<div>",
    "<!-- c -->",
    "",
    "   ",
    "[ref]: https://x.y",
    "[ref]",
    '[a]: <b> "t"',
    "> [q]: /q",
    "- [l]: /l",
    "text with *emph* and **strong** and [a link](x)",
    "Title\n===",
    "`` a ` b `` and ```x``` and `open",
    "&amp; &#123; &#x1F600; &bogus; &",
    "<https://auto.link> <me@x.org> <b class='c'>html</b> <!-- c --> <?p ?> <![CDATA[x]]>",
    "[t](/u \"title\") [t](</u v> 't') [t](/u (t)) ![i](a.png) [t]: /u",
    "\\* \\_ \\` hard\\",
    "**a*b*c** __a__ _b_ ***c*** *a **b** c*",
    "  leading and trailing   ",
    "trailing  ",
    "tab\t",
  ),
  fc.string({ maxLength: 20 }),
);

describe("LineParser", () => {
  it("parses lines of a text as Parser.parse parses the same lines cut out", () => {
    const parser = new LineParser();
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 25 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        (ls, eol, trailing, a, b) => {
          const text = ls.join(eol) + (trailing ? eol : "");
          const starts = lineStarts(text);
          const from = a % starts.length;
          const to = from + 1 + (b % (starts.length - from));
          expect(xml(parser.parse(text, starts, from, to))).toBe(reference(text, starts, from, to));
        },
      ),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 400) },
    );
  });
});
