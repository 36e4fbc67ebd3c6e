import type { BlockContent, DefinitionContent, ListItem, PhrasingContent, RootContent } from "mdast";
import type { Segment } from "./segments.js";
import { textOf } from "./text.js";
import type { Verification } from "./types.js";

/**
 * Splits Verification into commands Orchard runs (a line or bullet that is all inline code, "Run: `cmd`",
 * fenced blocks one command per line) and instructions for the agent (everything else).
 */
export function parseVerification(segments: Segment[]): Verification {
  const v: Verification = { commands: [], instructions: [] };
  for (const seg of segments) {
    if (seg.field) readLine(seg.field.rest, v);
    for (const b of seg.blocks) {
      if (b.inline) readInline(b.inline, v);
      else readBlock(b.node, v);
    }
  }
  return v;
}

function readBlock(node: RootContent | BlockContent | DefinitionContent, v: Verification): void {
  switch (node.type) {
    case "paragraph":
      readInline(node.children, v);
      return;
    case "code":
      v.commands.push(...codeCommands(node.value));
      return;
    case "list":
      for (const item of node.children) readItem(item, v);
      return;
    case "blockquote":
      for (const child of node.children) readBlock(child, v);
      return;
    default: {
      const text = textOf(node).trim();
      if (text) v.instructions.push(text);
    }
  }
}

function readItem(item: ListItem, v: Verification): void {
  for (const child of item.children) readBlock(child, v);
}

/** A paragraph line by line: "`npm test`" on its own line is a command even among prose lines. */
function readInline(inline: PhrasingContent[], v: Verification): void {
  let line: PhrasingContent[] = [];
  for (const n of inline) {
    if (n.type === "break") {
      readLine(line, v);
      line = [];
    } else if (n.type === "text" && n.value.includes("\n")) {
      const parts = n.value.split("\n");
      parts.forEach((part, i) => {
        if (i > 0) {
          readLine(line, v);
          line = [];
        }
        if (part) line.push({ type: "text", value: part });
      });
    } else {
      line.push(n);
    }
  }
  readLine(line, v);
}

function readLine(line: PhrasingContent[], v: Verification): void {
  const nodes = line.filter((n) => !(n.type === "text" && n.value.trim() === ""));
  const [a, b] = nodes;
  if (nodes.length === 1 && a?.type === "inlineCode" && a.value.trim()) {
    v.commands.push(a.value.trim());
    return;
  }
  if (nodes.length === 2 && a?.type === "text" && /^\s*(?:run|command|cmd)\s*:\s*$/i.test(a.value)) {
    if (b?.type === "inlineCode" && b.value.trim()) {
      v.commands.push(b.value.trim());
      return;
    }
  }
  const text = textOf(line).trim();
  if (text) v.instructions.push(text);
}

/**
 * One command per line of a fenced block. Backslash continuations are joined; comment lines and a
 * leading `$ ` prompt are dropped, since they are how people write shell sessions, not commands.
 */
export function codeCommands(value: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const raw of value.split(/\r?\n/)) {
    const joined = pending ? pending + raw.trimStart() : raw;
    if (/\\\s*$/.test(joined)) {
      pending = `${joined.replace(/\s*\\\s*$/, "")} `;
      continue;
    }
    pending = "";
    const cmd = joined.trim().replace(/^\$\s+/, "");
    if (cmd && !cmd.startsWith("#")) out.push(cmd);
  }
  const rest = pending.trim();
  if (rest) out.push(rest);
  return out;
}
