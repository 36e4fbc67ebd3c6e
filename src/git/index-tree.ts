import { readFileSync } from "node:fs";
import { hasLooseObject, writeTreeObject } from "./objects.js";

/** On-disk entry flags (gitformat-index(5)). */
const ASSUME_VALID = 0x8000;
const EXTENDED = 0x4000;
const STAGE_MASK = 0x3000;
const NAME_MASK = 0x0fff;
/** Extended flags (index v3+). */
const SKIP_WORKTREE = 0x4000;
const INTENT_TO_ADD = 0x2000;
/** Entry modes git writes into trees as they are. */
const MODES = new Map([
  [0o100644, "100644"],
  [0o100755, "100755"],
  [0o120000, "120000"],
  [0o160000, "160000"],
]);
/** A split index keeps its entries elsewhere; a sparse one has directories for entries. */
const UNSUPPORTED_EXTENSIONS = new Set(["link", "sdir"]);

export interface IndexEntry {
  /** The path's bytes, as a latin1 string (one char per byte). */
  path: string;
  mode: string;
  oid: Buffer;
  /** Marked assume-unchanged or skip-worktree: git does not read its file in the work tree. */
  unread: boolean;
}

/**
 * The tree `git write-tree` writes for the index at `indexPath`, written in-process into `commonDir`'s
 * objects: a task's commit is `git add -A` and this, where it was `git add -A` and `git write-tree`, a
 * git process fewer on every task's path (docs/benchmarks.md). Null, and git writes it, for what this
 * reader leaves to git: an index of another version than 2–4, a split or sparse index, unmerged or
 * intent-to-add entries, a mode git would not write as it is, anything malformed.
 */
export function writeIndexTree(indexPath: string, commonDir: string): string | null {
  return writeIndexTreeKeyed(indexPath, commonDir)?.tree ?? null;
}

/** `writeIndexTree`, with the index's clean key (`cleanKeyOf`) beside the tree. */
export function writeIndexTreeKeyed(
  indexPath: string,
  commonDir: string,
): { tree: string; cleanKey: string } | null {
  try {
    const parsed = parseIndex(readFileSync(indexPath));
    if (!parsed) return null;
    const { entries, treeExtension } = parsed;
    const cacheTree = treeExtension ? parseCacheTree(treeExtension) : new Map();
    return { tree: writeTrees(entries, commonDir, cacheTree), cleanKey: cleanKeyOf(entries) };
  } catch {
    // Unreadable, or an object that could not be written: git tries, and says what is wrong.
    return null;
  }
}

/**
 * What decides, beyond the files themselves, what `git clean -ffd` would leave in a work tree checked
 * out from this index: its `.gitignore` files and its gitlinks (nested repositories), each as mode,
 * object and path. Two indexes with the same key ignore the same untracked files (the repository's
 * info/exclude and the user's excludes file are the same for both) and hold the same nested
 * repositories. Null for an index this reader leaves to git.
 */
export function indexCleanKey(buf: Buffer): string | null {
  const entries = readIndexEntries(buf);
  return entries ? cleanKeyOf(entries) : null;
}

function cleanKeyOf(entries: readonly IndexEntry[]): string {
  let key = "";
  for (const e of entries) {
    if (e.mode === "160000" || e.path === ".gitignore" || e.path.endsWith("/.gitignore")) {
      key += `${e.mode} ${e.oid.toString("hex")} ${e.path}\n`;
    }
  }
  return key;
}

/** The index's entries in its order (by path bytes, which is tree order too), or null (see above). */
export function readIndexEntries(buf: Buffer): IndexEntry[] | null {
  return parseIndex(buf)?.entries ?? null;
}

/**
 * The index's cache tree (its `TREE` extension): for each directory (`""` is the root) whose tree git
 * still knows, that tree's name and how many index entries it covers. `git add` drops a directory (and
 * its parents) from it when it stages a path inside; the rest stay as the last checkout or commit
 * left them.
 */
export type CacheTree = ReadonlyMap<string, { entries: number; oid: Buffer }>;

/**
 * The index's entries (as `readIndexEntries`), the signatures of its extensions in order, and the bytes
 * of its cache tree extension (`parseCacheTree` reads them; only the tree writer needs them).
 */
export function parseIndex(
  buf: Buffer,
): { entries: IndexEntry[]; extensions: string[]; treeExtension: Buffer | null } | null {
  if (buf.length < 32 || buf.toString("latin1", 0, 4) !== "DIRC") return null;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = buf.readUInt32BE(8);
  const end = buf.length - 20; // the trailing checksum
  const entries: IndexEntry[] = [];
  let pos = 12;
  let previous = "";
  for (let i = 0; i < count; i++) {
    const start = pos;
    if (pos + 62 > end) return null;
    const modeBits = buf.readUInt32BE(pos + 24);
    const oid = buf.subarray(pos + 40, pos + 60);
    const flags = buf.readUInt16BE(pos + 60);
    pos += 62;
    if (flags & STAGE_MASK) return null;
    let unread = (flags & ASSUME_VALID) !== 0;
    if (flags & EXTENDED) {
      if (version < 3) return null;
      const extended = buf.readUInt16BE(pos);
      if (extended & INTENT_TO_ADD) return null;
      unread ||= (extended & SKIP_WORKTREE) !== 0;
      pos += 2;
    }
    const mode = MODES.get(modeBits);
    if (!mode) return null;
    let path: string;
    if (version === 4) {
      // The name is the previous one less its last N bytes, plus what follows up to a NUL.
      let c = buf[pos++]!;
      let strip = c & 127;
      while (c & 128) {
        c = buf[pos++]!;
        strip = ((strip + 1) << 7) | (c & 127);
      }
      const nul = buf.indexOf(0, pos);
      if (nul === -1 || nul >= end || strip > previous.length) return null;
      path = previous.slice(0, previous.length - strip) + buf.toString("latin1", pos, nul);
      pos = nul + 1;
    } else {
      const nameLength = flags & NAME_MASK;
      const nul = nameLength < NAME_MASK ? pos + nameLength : buf.indexOf(0, pos);
      if (nul === -1 || nul >= end || buf[nul] !== 0) return null;
      path = buf.toString("latin1", pos, nul);
      // Entries are padded with 1–8 NULs to a multiple of eight bytes.
      pos = start + ((nul - start + 8) & ~7);
    }
    if (path === "" || path.startsWith("/") || path.endsWith("/")) return null;
    entries.push({ path, mode, oid, unread });
    previous = path;
  }
  // Extensions: a 4-byte signature and a 4-byte size each.
  const extensions: string[] = [];
  let treeExtension: Buffer | null = null;
  while (pos + 8 <= end) {
    const signature = buf.toString("latin1", pos, pos + 4);
    if (UNSUPPORTED_EXTENSIONS.has(signature)) return null;
    extensions.push(signature);
    const size = buf.readUInt32BE(pos + 4);
    if (signature === "TREE") treeExtension = buf.subarray(pos + 8, pos + 8 + size);
    pos += 8 + size;
  }
  return pos === end ? { entries, extensions, treeExtension } : null;
}

/**
 * The `TREE` extension (gitformat-index(5)), depth first from the root: each node is its name (relative
 * to its parent) and a NUL, its entry count (-1: invalidated), a space, its number of subtrees, a line
 * break, then its tree's name unless it is invalidated. Only the valid nodes are kept; a malformed
 * extension gives an empty cache tree, and every tree is written from the entries.
 */
export function parseCacheTree(ext: Buffer): CacheTree {
  const nodes = new Map<string, { entries: number; oid: Buffer }>();
  // The directories whose subtrees are still to come, innermost last, with how many are left.
  const open: Array<{ path: string; left: number }> = [];
  let pos = 0;
  while (pos < ext.length) {
    const nul = ext.indexOf(0, pos);
    const eol = nul === -1 ? -1 : ext.indexOf(10, nul);
    const counts = eol === -1 ? null : /^(-?\d+) (\d+)$/.exec(ext.toString("latin1", nul + 1, eol));
    if (!counts) return new Map();
    const name = ext.toString("latin1", pos, nul);
    const entries = Number(counts[1]);
    pos = eol + 1;
    const parent = open.at(-1);
    if (parent) parent.left--;
    else if (nodes.size > 0 || name !== "") return new Map();
    const path = parent ? (parent.path === "" ? name : `${parent.path}/${name}`) : "";
    if (entries >= 0) {
      if (pos + 20 > ext.length) return new Map();
      nodes.set(path, { entries, oid: ext.subarray(pos, pos + 20) });
      pos += 20;
    }
    open.push({ path, left: Number(counts[2]) });
    while (open.length > 0 && open.at(-1)!.left === 0) open.pop();
    if (open.length === 0 && pos < ext.length) return new Map();
  }
  return open.length === 0 ? nodes : new Map();
}

/**
 * Writes the trees of `entries` (sorted by path bytes) bottom-up and returns the root's name. Sorted
 * paths list a directory's entries together, and in tree order: git orders a directory `d` as `d/`,
 * which is where its paths sort among its siblings. A directory the cache tree still knows is taken
 * from it, as `git write-tree` takes it, where its tree is there as a loose object (one that is only
 * packed is written from the entries, and loose, once): a commit then costs the directories `git add`
 * touched, not the whole repository.
 */
function writeTrees(entries: readonly IndexEntry[], commonDir: string, cacheTree: CacheTree): string {
  const known = (dir: string, first: number) => {
    const node = cacheTree.get(dir);
    if (!node || node.entries === 0 || first + node.entries > entries.length) return null;
    // The span it covers must be exactly the directory's entries, as git keeps it.
    const prefix = dir === "" ? "" : `${dir}/`;
    const last = entries[first + node.entries - 1]!.path;
    const after = entries[first + node.entries]?.path;
    if (!last.startsWith(prefix) || after?.startsWith(prefix)) return null;
    const sha = node.oid.toString("hex");
    return hasLooseObject(commonDir, sha) ? { sha, entries: node.entries } : null;
  };
  // The root is known only while it covers every entry (`known` checks the span).
  const whole = known("", 0);
  if (whole) return whole.sha;
  // The open directories, root first: each collects its entries' bytes.
  const stack: Array<{ name: string; parts: Buffer[] }> = [{ name: "", parts: [] }];
  let openDirs: string[] = [];
  const close = () => {
    const dir = stack.pop()!;
    const sha = writeTreeObject(commonDir, Buffer.concat(dir.parts));
    stack.at(-1)!.parts.push(treeEntry("40000", dir.name, Buffer.from(sha, "hex")));
  };
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const names = entry.path.split("/");
    const file = names.pop()!;
    let shared = 0;
    while (shared < names.length && shared < openDirs.length && names[shared] === openDirs[shared]) shared++;
    for (let depth = openDirs.length; depth > shared; depth--) close();
    let depth = shared;
    for (; depth < names.length; depth++) {
      // Entry i is the first of this directory: it was not open.
      const cached = known(names.slice(0, depth + 1).join("/"), i);
      if (cached) {
        stack.at(-1)!.parts.push(treeEntry("40000", names[depth]!, Buffer.from(cached.sha, "hex")));
        i += cached.entries - 1;
        break;
      }
      stack.push({ name: names[depth]!, parts: [] });
    }
    openDirs = names.slice(0, depth);
    if (depth === names.length) stack.at(-1)!.parts.push(treeEntry(entry.mode, file, entry.oid));
  }
  while (stack.length > 1) close();
  return writeTreeObject(commonDir, Buffer.concat(stack[0]!.parts));
}

function treeEntry(mode: string, name: string, oid: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${mode} ${name}\0`, "latin1"), oid]);
}
