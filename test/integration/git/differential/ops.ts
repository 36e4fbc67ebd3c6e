/**
 * Seeded random task scripts for the differential tests: creates, deletes, renames, chmods, symlinks,
 * file↔directory swaps, names that sort side by side and NFD names, generated against a model of the
 * tree so that every operation is valid where it runs.
 */
export type Op =
  | { op: "write"; path: string; content: string }
  | { op: "rm"; path: string }
  | { op: "mv"; from: string; to: string }
  | { op: "chmod"; path: string; mode: number }
  | { op: "symlink"; path: string; target: string }
  | { op: "git"; args: string[]; mayFail?: boolean };

/** mulberry32: a small seeded PRNG, so that a failing seed can be run again. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names chosen to sort side by side in git's tree order (`a`, `a-b`, `a.b`, `a/b`, `a0`) and an NFD one. */
const NAMES = ["a", "a-b", "a.b", "a0", "b", "e\u0301t\u00e9.txt", "dir", "dir.txt", "dir-x", "z z"];

/** The files of the base commit the random scripts start from. */
export const BASE_FILES: Record<string, string> = {
  "a/b": "a/b\n",
  "a-b": "a-b\n",
  "a.b": "a.b\n",
  a0: "a0\n",
  "dir/one.txt": "one\n",
  "dir/sub/two.txt": "two\n",
  "dir.txt": "dir.txt\n",
  "e\u0301t\u00e9.txt": "nfd\n",
  "z z": "spaces\n",
  "run.sh": "#!/bin/sh\necho run\n",
};

/** A random script of `count` operations on a tree that starts as BASE_FILES. */
export function randomOps(seed: number, count = 8): Op[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  // path → "file" | "link"; directories are implied by their files.
  const tree = new Map<string, "file" | "link">(Object.keys(BASE_FILES).map((p) => [p, "file"]));
  const dirs = () =>
    new Set(
      [...tree.keys()].flatMap((p) =>
        p
          .split("/")
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
      ),
    );
  const ops: Op[] = [];
  const free = (path: string) => {
    // Nothing may sit where the path or one of its parents would go.
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) if (tree.has(parts.slice(0, i).join("/"))) return false;
    return !tree.has(path) && !dirs().has(path);
  };
  const removeUnder = (path: string) => {
    for (const p of [...tree.keys()]) if (p === path || p.startsWith(`${path}/`)) tree.delete(p);
  };
  while (ops.length < count) {
    const files = [...tree.keys()];
    const kind = pick(["create", "modify", "delete", "rename", "chmod", "symlink", "swap", "swap-back"]);
    if (kind === "create") {
      const path = [pick(NAMES), ...(rand() < 0.5 ? [pick(NAMES)] : [])].join("/");
      if (!free(path)) continue;
      ops.push({ op: "write", path, content: `new ${seed} ${ops.length}\n` });
      tree.set(path, "file");
    } else if (kind === "modify" && files.length) {
      const path = pick(files);
      if (tree.get(path) !== "file") continue;
      ops.push({ op: "write", path, content: `changed ${seed} ${ops.length}\n` });
    } else if (kind === "delete" && files.length) {
      const path = pick(files);
      ops.push({ op: "rm", path });
      tree.delete(path);
    } else if (kind === "rename" && files.length) {
      const from = pick(files);
      const to = `${pick(NAMES)}-renamed`;
      if (!free(to)) continue;
      ops.push({ op: "mv", from, to });
      tree.set(to, tree.get(from)!);
      tree.delete(from);
    } else if (kind === "chmod" && files.length) {
      const path = pick(files);
      if (tree.get(path) !== "file") continue;
      ops.push({ op: "chmod", path, mode: rand() < 0.5 ? 0o755 : 0o644 });
    } else if (kind === "symlink") {
      const path = `${pick(NAMES)}-link`;
      if (!free(path) || files.length === 0) continue;
      ops.push({ op: "symlink", path, target: pick(files) });
      tree.set(path, "link");
    } else if (kind === "swap" && files.length) {
      // A file becomes a directory of the same name.
      const path = pick(files);
      ops.push({ op: "rm", path }, { op: "write", path: `${path}/inside`, content: `swapped ${seed}\n` });
      tree.delete(path);
      tree.set(`${path}/inside`, "file");
    } else if (kind === "swap-back") {
      // A directory becomes a file of the same name.
      const dir = pick([...dirs()]);
      if (!dir) continue;
      ops.push({ op: "rm", path: dir }, { op: "write", path: dir, content: `was a directory ${seed}\n` });
      removeUnder(dir);
      tree.set(dir, "file");
    }
  }
  return ops;
}
