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
    criar: "create",
    modificar: "modify",
  }) as [string, FileKind][],
);

/** What a Files field names: files, and the bullets that name none (notes for `plan check`). */
export interface FilesRead {
  files: PlanFile[];
  notes: string[];
}

/** The files a Files field names, from the rest of its line and the lists under it. */
export function parseFiles(seg: Segment, into: FilesRead): void {
  let line = seg.field?.rest;
  for (const b of seg.blocks) {
    // The lines after `**Files:** …` in its paragraph continue its entry: "Modify `a.c` (near\n`f`), `b.c`".
    if (line && b.inline && seg.field?.para !== undefined && b.node === seg.field.para) {
      line = [...line, { type: "text", value: "\n" }, ...b.inline];
      continue;
    }
    if (line) readItem(line, "unspecified", into);
    line = undefined;
    if (b.node.type === "list") readList(b.node, "unspecified", into);
    else if (b.inline) readItem(b.inline, "unspecified", into);
  }
  if (line) readItem(line, "unspecified", into);
}

function readList(list: List, kind: FileKind, into: FilesRead): void {
  for (const item of list.children) readListItem(item, kind, into);
}

function readListItem(item: ListItem, inherited: FileKind, into: FilesRead): void {
  let kind = inherited;
  for (const child of item.children) {
    if (child.type === "paragraph") kind = readItem(child.children, inherited, into) ?? kind;
    else if (child.type === "list") readList(child, kind, into);
  }
}

/**
 * Reads one entry as a person does: "Create: `src/a.ts`", "**Modify:** `b.ts:12-40`", "Modify `a.c` (near
 * `f`, :441), `b.c`", "`a.py` (new)", "src/x.ts — add the route", "Create: dir/file with spaces.txt". The
 * text after the paths is the file's note; an entry that names no path is a note of the task. Returns the
 * kind its prefix named, so nested bullets under "Create:" inherit it.
 */
function readItem(inline: PhrasingContent[], inherited: FileKind, into: FilesRead): FileKind | undefined {
  const { kind, rest, labelled } = stripKind(inline);
  const before = into.files.length;
  const note = rest.some((n) => n.type === "inlineCode")
    ? codePaths(rest, kind ?? inherited, into.files)
    : textPaths(textOf(rest), kind ?? inherited, into.files);
  if (into.files.length === before) {
    const text = textOf(inline).replace(/\s+/g, " ").trim();
    if (text && !(labelled === undefined && NONE.test(text))) into.notes.push(text);
  } else if (note) {
    const last = into.files[into.files.length - 1]!;
    last.note = note;
    if (last.kind === "unspecified" && /^new\b/i.test(note)) last.kind = "create";
  }
  return kind;
}

const KIND_PREFIX = /^\s*([A-Za-z][A-Za-z-]*(?: [A-Za-z-]+){0,2})\s*:\s*/;
const KIND_WORD = /^\s*([A-Za-z-]+)\s+$/;

/** "Create:", "**Modify:**", "Create locally:", "Modify `x`": the kind, and whether a label was there. */
function stripKind(inline: PhrasingContent[]): {
  kind?: FileKind;
  rest: PhrasingContent[];
  labelled?: string;
} {
  // Copied only when there is a blank text to drop (rarely): this runs for every file line.
  const nodes = inline.some(isBlankText) ? inline.filter((n) => !isBlankText(n)) : inline;
  const head = nodes[0];
  if (head?.type === "strong" || head?.type === "emphasis") {
    const label = textOf(head).trim();
    const word = label.replace(/:$/, "").toLowerCase();
    const kind = KINDS.get(word.split(" ")[0]!);
    const next = nodes[1];
    const colon = label.endsWith(":") || (next?.type === "text" && /^\s*:/.test(next.value));
    if (kind || (colon && word.length <= 30)) {
      const rest = nodes.slice(1);
      if (next?.type === "text") rest[0] = { type: "text", value: next.value.replace(/^\s*:/, "") };
      return kind ? { kind, rest, labelled: word } : { rest, labelled: word };
    }
  }
  if (head?.type === "text") {
    const m = KIND_PREFIX.exec(head.value);
    if (m) {
      // One copy with its head replaced, rather than a slice spread into a new array (every file line).
      const rest = nodes.slice();
      rest[0] = { type: "text", value: head.value.slice(m[0].length) };
      const label = m[1]!;
      const space = label.indexOf(" ");
      const kind = KINDS.get((space < 0 ? label : label.slice(0, space)).toLowerCase());
      return kind ? { kind, rest, labelled: label } : { rest, labelled: label };
    }
    const w = KIND_WORD.exec(head.value);
    const kind = w ? KINDS.get(w[1]!.toLowerCase()) : undefined;
    if (kind && nodes[1]?.type === "inlineCode") return { kind, rest: nodes.slice(1), labelled: w![1]! };
  }
  return { rest: nodes };
}

const isBlankText = (n: PhrasingContent): boolean => n.type === "text" && !/\S/.test(n.value);

const SEPARATOR = /^[\s,;&+]*(?:(?:and|or)[\s,;&+]*)?$/i;

/**
 * Backticked paths: the first, and more while only separators or a parenthesised note stand between
 * them ("`a.c` (near `f`), `b.c` + `b.h`"). Code inside parentheses is part of a note. Returns the text
 * after the last path (its note).
 */
function codePaths(rest: PhrasingContent[], kind: FileKind, out: PlanFile[]): string {
  let depth = 0;
  let found = 0;
  let tail = "";
  let between = "";
  for (let i = 0; i < rest.length; i++) {
    const n = rest[i]!;
    if (n.type === "inlineCode" && depth === 0) {
      const file =
        found === 0 || SEPARATOR.test(between)
          ? toFile(sibling(n.value, between, out), kind, true)
          : undefined;
      if (!file) {
        if (found === 0) return "";
        tail += between + textOf(rest.slice(i));
        break;
      }
      out.push(file);
      found++;
      tail = "";
      between = "";
      continue;
    }
    const text = textOf(n);
    if (found === 0) {
      depth += parenDelta(text);
      continue;
    }
    for (const ch of text) {
      if (ch === "(") depth++;
      else if (ch === ")") depth = Math.max(0, depth - 1);
    }
    if (n.type === "inlineCode") between += `\`${text}\``;
    else between += text;
    // A note in parentheses right after a path belongs to that path; the next path may follow it.
    const open = between.indexOf("(");
    if (depth === 0 && open >= 0 && SEPARATOR.test(between.slice(0, open))) {
      const close = between.lastIndexOf(")");
      if (close > open) {
        const note = between.slice(open + 1, close).trim();
        const last = out[out.length - 1]!;
        last.note = last.note ? `${last.note}; ${note}` : note;
        if (last.kind === "unspecified" && /^new\b/i.test(note)) last.kind = "create";
        between = between.slice(close + 1);
      }
    }
    tail = between;
  }
  return cleanNote(tail);
}

/** "`a_controller.go` + `_test.go`": the second is the first's sibling, `a_controller_test.go`. */
function sibling(value: string, between: string, out: PlanFile[]): string {
  const prev = out[out.length - 1];
  if (!prev || !/^[_.-][\w.-]*$/.test(value) || !between.includes("+")) return value;
  const ext = /\.[A-Za-z0-9]+$/.exec(prev.path);
  return ext ? prev.path.slice(0, ext.index) + value : value;
}

function parenDelta(text: string): number {
  let d = 0;
  for (const ch of text) d += ch === "(" ? 1 : ch === ")" ? -1 : 0;
  return d;
}

const cleanNote = (s: string): string =>
  s === ""
    ? s
    : s
        .replace(/\s+/g, " ")
        .replace(/^[\s,;:.—–-]+|[\s,;.]+$/g, "")
        .replace(/^\((.*)\)$/, "$1")
        .trim();

/** A path written without backticks: "src/a.ts", "src/a.ts — what changes", "a.ts, b.ts". */
function textPaths(text: string, kind: FileKind, out: PlanFile[]): string {
  const t = text.replace(/\s+/g, " ").trim();
  // The whole entry first: "dir/file with spaces & (special).txt" is one name.
  const whole = /[([]/.test(t) ? toFile(t, kind, false) : undefined;
  if (whole) {
    out.push(whole);
    return "";
  }
  const cut = t.search(/\s+(?:[—–]|-)\s+|\s+\(/);
  const head = cut < 0 ? t : t.slice(0, cut);
  const note = cut < 0 ? "" : cleanNote(t.slice(cut));
  const parts = head.split(/\s*,\s*|\s+and\s+/);
  if (parts.length > 1) {
    const files = parts.map((p) => toFile(p, kind, false));
    if (files.every((f) => f !== undefined)) {
      out.push(...(files as PlanFile[]));
      return note;
    }
  }
  const file = toFile(head, kind, false);
  if (file) out.push(file);
  return file ? note : "";
}

const RANGE = /^(.*?[^:\s]):(L?\d+(?:\s*[-–]\s*L?\d+)?(?:\s*,\s*L?\d+(?:\s*[-–]\s*L?\d+)?)*)$/;
const QUOTED = /^(["'])(.*)\1$/;
const NONE = /^(?:none|n\/a|-|—)\.?$/i;
const COMMAND =
  /^(?:git|npm|pnpm|yarn|npx|bunx?|cd|make|cargo|go|python3?|pytest|uv|ls|cat|echo|bash|sh|docker|node|tsx|curl|grep|sed|rm|mkdir|cp|mv|just|deno)\s/;
const KNOWN_NAMES =
  /^(?:Makefile|Dockerfile|Containerfile|Justfile|Procfile|Gemfile|Rakefile|Jenkinsfile|Vagrantfile|Brewfile|LICENSE|README|CODEOWNERS|CHANGELOG)$/;

/**
 * The entry as a file when it reads as a path: a slash, an extension, a dotfile or a well-known name;
 * no shell operators, no command word in front, no URL. Spaces only in a path with a slash and an
 * extension ("dir/file with spaces.txt").
 */
function toFile(raw: string, kind: FileKind, backticked: boolean): PlanFile | undefined {
  let path = raw.trim();
  const q = path.charCodeAt(0);
  const quoted = (q === 34 || q === 39) && QUOTED.test(path);
  if (quoted) path = path.replace(QUOTED, "$2");
  if (!path || NONE.test(path)) return undefined;
  let lines: string | undefined;
  const m = RANGE.exec(path);
  if (m) {
    path = m[1]!;
    lines = m[2]!.replace(/\s+/g, "");
  }
  if (!looksLikePath(path, backticked || quoted, quoted)) return undefined;
  return lines === undefined ? { path, kind } : { path, kind, lines };
}

function looksLikePath(path: string, backticked: boolean, quoted = false): boolean {
  if (path.length > 300 || /[`|;\n]|&&|\$\(|:\/\//.test(path) || COMMAND.test(path)) return false;
  const ext = /\.[A-Za-z0-9_-]{1,12}$/.test(path);
  if (/\s/.test(path)) return (quoted || path.includes("/")) && ext && path.split(/\s+/).length <= 6;
  if (path.includes("/") || ext || KNOWN_NAMES.test(path)) return true;
  if (path.startsWith(".") && path.length > 1) return true;
  // A backticked word (`utils`, `a`) was marked as a name by its writer; a bare prose word is not a path.
  return backticked;
}

/** Paths compare equal regardless of a leading `./` or doubled slashes. */
export const pathKey = (path: string): string =>
  // Character codes rather than startsWith: paths are slices of the whole plan text, where each string
  // method call costs more than it should (planGraph and the inference key ~30,000 paths at 10,000 tasks).
  (path.charCodeAt(0) === 46 && path.charCodeAt(1) === 47) || path.includes("//")
    ? path.replace(/^(?:\.\/)+/, "").replace(/\/{2,}/g, "/")
    : path;
