import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, linkSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import { type Ident, identSafe } from "./identity.js";
import { isFullSha, openCreating } from "./ref-files.js";

/**
 * Commit and tree objects written in-process, as loose objects in the repository's own object directory
 * (gitformat-loose(5)): `<type> <size>\0<body>`, named by its SHA-1, zlib-deflated, written to a
 * temporary file and linked into place, as git does. A landing used to start `git commit-tree` for
 * each merge commit, ~3.5 ms apiece on the serial landing path (docs/benchmarks.md). Only SHA-1
 * repositories whose commits need nothing else (no signing, no other encoding: identity.ts decides);
 * everywhere else git writes them.
 */
export function writeCommitObject(
  commonDir: string,
  commit: { tree: string; parents: readonly string[]; author: Ident; committer: Ident; message: string },
  now: Date = new Date(),
): string {
  const when = gitDate(now);
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((p) => `parent ${p}`)];
  lines.push(
    `author ${identLine(commit.author)} ${when}`,
    `committer ${identLine(commit.committer)} ${when}`,
  );
  return writeLooseObject(commonDir, "commit", Buffer.from(`${lines.join("\n")}\n\n${commit.message}`));
}

/** The tree of `commit` when it is a loose object here (a commit just made); null otherwise. */
export function looseCommitTree(commonDir: string, commit: string): string | null {
  if (!isFullSha(commit) || commit.length !== 40) return null;
  let raw: Buffer;
  try {
    raw = inflateSync(readFileSync(objectPath(commonDir, commit)));
  } catch {
    return null;
  }
  const head = raw.subarray(0, 64).toString("latin1");
  const m = /^commit \d+\0tree ([0-9a-f]{40})\n/.exec(head);
  return m ? m[1]! : null;
}

/** A tree object; its body is `<mode> <name>\0<binary object name>` per entry. */
export function writeTreeObject(commonDir: string, body: Buffer): string {
  return writeLooseObject(commonDir, "tree", body);
}

/**
 * Writes the object unless it is there loose already (its name is its content). One that is only packed
 * is written loose again: harmless, and git's `gc` drops the copy.
 */
function writeLooseObject(commonDir: string, type: string, body: Buffer): string {
  const data = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]);
  const sha = createHash("sha1").update(data).digest("hex");
  const path = objectPath(commonDir, sha);
  if (existsSync(path)) return sha;
  // git's loose objects are read-only files, written whole under a temporary name first.
  const tmp = join(path, "..", `tmp_obj_${randomBytes(6).toString("hex")}`);
  const fd = openCreating(tmp, 0o444);
  try {
    writeSync(fd, deflateSync(data, { level: 1 }));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (error) {
    // The same content is already there: an object's name is its content.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(tmp);
  }
  return sha;
}

/** Is the object there as a loose object (`objects/xx/…`)? */
export function hasLooseObject(commonDir: string, sha: string): boolean {
  return existsSync(objectPath(commonDir, sha));
}

function objectPath(commonDir: string, sha: string): string {
  return join(commonDir, "objects", sha.slice(0, 2), sha.slice(2));
}

/** `Name <email>`; identity.ts hands over only idents git would write as they are. */
function identLine(ident: Ident): string {
  if (!identSafe(ident.name) || !identSafe(ident.email)) throw new Error(`not a plain ident: ${ident.name}`);
  return `${ident.name} <${ident.email}>`;
}

/** `<seconds> <+hhmm>` in the local time zone, as git writes a commit's dates. */
function gitDate(now: Date): string {
  const offset = -now.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `${Math.floor(now.getTime() / 1000)} ${sign}${hhmm}`;
}
