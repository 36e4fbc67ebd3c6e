import type { Nodes, PhrasingContent } from "mdast";
import { pathKey } from "./files.js";
import type { Segment } from "./segments.js";
import { textOf } from "./text.js";
import type { CodeBlock, PlanFile } from "./types.js";

/**
 * The code blocks of a task's text, each with the path named in the paragraph or list item just before
 * it ("Create `src/a.py`:"). A task with one block and one created file gets that file's path.
 */
export function collectCodeBlocks(segments: Segment[], files: PlanFile[]): CodeBlock[] {
  const declared = new Map(files.map((f) => [pathKey(f.path), f.path]));
  const out: CodeBlock[] = [];
  for (const seg of segments) {
    let prev: PhrasingContent[] | undefined = seg.field?.rest;
    for (const b of seg.blocks) {
      if (b.inline) prev = b.inline;
      else {
        visit(b.node, prev, declared, out);
        prev = inlineOf(b.node);
      }
    }
  }
  const created = files.filter((f) => f.kind === "create");
  const only = out[0];
  if (out.length === 1 && only && only.path === undefined && created.length === 1)
    only.path = created[0]!.path;
  return out;
}

function visit(
  node: Nodes,
  prev: PhrasingContent[] | undefined,
  declared: Map<string, string>,
  out: CodeBlock[],
) {
  if (node.type === "code") {
    const block: CodeBlock = { lang: node.lang ?? null, value: node.value };
    const path = prev ? pathIn(prev, declared) : undefined;
    if (path !== undefined) block.path = path;
    out.push(block);
    return;
  }
  if (node.type !== "list" && node.type !== "listItem" && node.type !== "blockquote") return;
  let before: PhrasingContent[] | undefined;
  for (const child of node.children) {
    visit(child, before, declared, out);
    before = inlineOf(child);
  }
}

/** What "the paragraph or list item before" a block says, as inline content. */
function inlineOf(node: Nodes): PhrasingContent[] | undefined {
  if (node.type === "paragraph" || node.type === "heading") return node.children;
  if (node.type === "list") {
    const last = node.children.at(-1);
    return last ? inlineOf(last) : undefined;
  }
  if (node.type === "listItem") {
    return node.children.flatMap((c) => (c.type === "paragraph" ? c.children : []));
  }
  return undefined;
}

const looksLikePath = (s: string) =>
  s.length > 0 &&
  s.length < 300 &&
  !s.includes("\n") &&
  !s.startsWith("-") &&
  /[/\\]|\.[A-Za-z0-9]{1,10}$/.test(s);

function pathIn(inline: PhrasingContent[], declared: Map<string, string>): string | undefined {
  const codes: string[] = [];
  collectCodes(inline, codes);
  const candidates = codes.map((c) => c.trim().replace(/:\d+(?:-\d+)?$/, ""));
  const known = candidates.find((c) => declared.has(pathKey(c)));
  if (known !== undefined) return declared.get(pathKey(known));
  const pathy = candidates.find(looksLikePath);
  if (pathy !== undefined) return pathy;
  // Written without backticks: the first declared path the text mentions.
  const text = textOf(inline);
  let best: { at: number; path: string } | undefined;
  for (const path of declared.values()) {
    const at = text.indexOf(path);
    if (at >= 0 && (!best || at < best.at)) best = { at, path };
  }
  return best?.path;
}

function collectCodes(nodes: PhrasingContent[], out: string[]): void {
  for (const n of nodes) {
    if (n.type === "inlineCode") out.push(n.value);
    else if ("children" in n) collectCodes(n.children as PhrasingContent[], out);
  }
}
