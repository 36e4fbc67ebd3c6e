import type { List, ListItem, PhrasingContent } from "mdast";
import type { Segment } from "./segments.js";
import { textOf } from "./text.js";
import type { FileKind, PlanFile } from "./types.js";

/** A Map: looking a sliced word up in an object interns it first, which showed in the profile. */
const KINDS = new Map<string, FileKind>(
  Object.entries({
    create: "create",
    created: "create",
    new: "create",
    add: "create",
    modify: "modify",
    modified: "modify",
    update: "modify",
    edit: "modify",
    change: "modify",
    test: "test",
    tests: "test",
    read: "read",
    reference: "read",
    "read-only": "read",
    delete: "delete",
    remove: "delete",
  }) as [string, FileKind][],
);

/** The files a Files field names, from the rest of its line and the lists under it. */
export function parseFiles(seg: Segment): PlanFile[] {
  const out: PlanFile[] = [];
  if (seg.field) readItem(seg.field.rest, "unspecified", out);
  for (const b of seg.blocks) {
    if (b.node.type === "list") readList(b.node, "unspecified", out);
    else if (b.inline) readItem(b.inline, "unspecified", out);
  }
  return out;
}

function readList(list: List, kind: FileKind, out: PlanFile[]): void {
  for (const item of list.children) readListItem(item, kind, out);
}

function readListItem(item: ListItem, inherited: FileKind, out: PlanFile[]): void {
  let kind = inherited;
  for (const child of item.children) {
    if (child.type === "paragraph") kind = readItem(child.children, inherited, out) ?? kind;
    else if (child.type === "list") readList(child, kind, out);
  }
}

/**
 * Reads one item such as "Create: `src/a.ts`", "**Modify:** `b.ts:12-40`" or "Create: dir/file with spaces.txt".
 * Returns the kind its prefix named, so nested bullets under "Create:" inherit it.
 */
function readItem(inline: PhrasingContent[], inherited: FileKind, out: PlanFile[]): FileKind | undefined {
  const { kind, rest } = stripKind(inline);
  const paths = inlinePaths(rest);
  for (const raw of paths) {
    const file = toFile(raw, kind ?? inherited);
    if (file) out.push(file);
  }
  return kind;
}

const KIND_PREFIX = /^\s*([A-Za-z-]+)\s*:\s*/;

function stripKind(inline: PhrasingContent[]): { kind?: FileKind; rest: PhrasingContent[] } {
  // Copied only when there is a blank text to drop (rarely): this runs for every file line.
  const nodes = inline.some(isBlankText) ? inline.filter((n) => !isBlankText(n)) : inline;
  const head = nodes[0];
  if (head?.type === "strong" || head?.type === "emphasis") {
    const word = textOf(head).trim().replace(/:$/, "").toLowerCase();
    const kind = KINDS.get(word);
    if (kind) {
      const rest = nodes.slice(1);
      const next = rest[0];
      if (next?.type === "text") rest[0] = { type: "text", value: next.value.replace(/^\s*:/, "") };
      return { kind, rest };
    }
  }
  if (head?.type === "text") {
    const m = KIND_PREFIX.exec(head.value);
    const kind = m ? KINDS.get(m[1]!.toLowerCase()) : undefined;
    if (m && kind) {
      // One copy with its head replaced, rather than a slice spread into a new array (every file line).
      const rest = nodes.slice();
      rest[0] = { type: "text", value: head.value.slice(m[0].length) };
      return { kind, rest };
    }
  }
  return { rest: nodes };
}

const isBlankText = (n: PhrasingContent): boolean => n.type === "text" && !/\S/.test(n.value);

const SEPARATOR = /^[\s,;&+]*(?:and|or)?[\s,;&+]*$/i;

/** Backticked paths (several when only separators stand between them), else the whole text. */
function inlinePaths(rest: PhrasingContent[]): string[] {
  const firstCode = rest.findIndex((n) => n.type === "inlineCode");
  if (firstCode < 0) {
    const text = textOf(rest).trim();
    // "path — what changes" is a description after the path; a hyphen alone may be part of a name.
    return text ? [text.split(/\s+[—–]\s+/)[0]!] : [];
  }
  const paths: string[] = [];
  for (let i = firstCode; i < rest.length; i++) {
    const n = rest[i]!;
    if (n.type === "inlineCode") paths.push(n.value);
    else if (!(n.type === "text" && SEPARATOR.test(n.value))) break;
  }
  return paths;
}

const RANGE = /^(.*\S):(\d+(?:-\d+)?)$/;
const QUOTED = /^(["'])(.*)\1$/;
const NONE = /^(?:none|n\/a|-|—)\.?$/i;

function toFile(raw: string, kind: FileKind): PlanFile | undefined {
  let path = raw.trim();
  const q = path.charCodeAt(0);
  if (q === 34 || q === 39) path = path.replace(QUOTED, "$2");
  if (!path || NONE.test(path)) return undefined;
  const m = RANGE.exec(path);
  if (m) {
    path = m[1]!;
    return { path, kind, lines: m[2]! };
  }
  return { path, kind };
}

/** Paths compare equal regardless of a leading `./` or doubled slashes. */
export const pathKey = (path: string): string =>
  // Character codes rather than startsWith: paths are slices of the whole plan text, where each string
  // method call costs more than it should (planGraph and the inference key ~30,000 paths at 10,000 tasks).
  (path.charCodeAt(0) === 46 && path.charCodeAt(1) === 47) || path.includes("//")
    ? path.replace(/^(?:\.\/)+/, "").replace(/\/{2,}/g, "/")
    : path;
