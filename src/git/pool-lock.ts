import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { processAlive } from "../spawner/index.js";
import { GitError } from "./errors.js";
import { EXTRA_POOLS, extraPoolDirs } from "./pool-dir.js";

/** Who holds a pool directory. */
export interface PoolLockHolder {
  pid: number;
  host: string;
}

export type PoolLock = { release(): void } | { heldBy: PoolLockHolder };

/** A lock file written less than this long ago may still be half-written by its live owner. */
const UNREADABLE_GRACE_MS = 10_000;

/** Locks this process holds, by path, with how many pools of this process share each. */
const held = new Map<string, number>();

/**
 * Takes `<poolDir>.lock` (beside the pool directory, which start-up recovery empties of anything that is
 * not a slot) for this process, or says which other process holds it: two processes resetting each
 * other's slots would destroy an agent's work in progress and commit one task's files as another's.
 * A lock whose process is gone (this machine's pid no longer runs) is taken over. Within one process
 * the lock is shared: pools of one process take turns (one run after another), they do not race.
 */
export function takePoolLock(poolDir: string): PoolLock {
  const path = `${poolDir}.lock`;
  const mine = { pid: process.pid, host: hostname() };
  const count = held.get(path) ?? 0;
  if (count > 0) {
    held.set(path, count + 1);
    return { release: () => releaseLock(path) };
  }
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: "wx" });
      held.set(path, 1);
      return { release: () => releaseLock(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = readHolder(path);
    const stale =
      holder === null
        ? ageMs(path) > UNREADABLE_GRACE_MS
        : holder.host === mine.host && (holder.pid === mine.pid || !processAlive(holder.pid));
    if (!stale || attempt >= 2) return { heldBy: holder ?? { pid: 0, host: "unknown" } };
    // Its process is gone (or it is this process's, left by a pool that never released it).
    rmSync(path, { force: true });
  }
}

/**
 * The pool directory this process may use, taken. Another live process's run holds `base`: the next
 * free one beside it (`worktrees-2` …) serves this one, with slots of its own; a directory asked for
 * by name (`named`) is that one or none.
 */
export function leasePoolDir(base: string, named: boolean): { dir: string; release(): void } {
  const candidates = named ? [base] : [base, ...extraPoolDirs(base)];
  let holder: PoolLockHolder | undefined;
  for (const dir of candidates) {
    const lock = takePoolLock(dir);
    if ("release" in lock) return { dir, release: lock.release };
    holder ??= lock.heldBy;
  }
  const others = named ? "" : ` (and so are the ${EXTRA_POOLS.length} beside it)`;
  throw new GitError({
    code: "LOCKED",
    args: [],
    exitCode: null,
    stderr: "",
    message: `the worktree pool ${base} is in use by pid ${holder?.pid} on ${holder?.host}${others}: let that run finish, or stop it, and start this one again`,
  });
}

function releaseLock(path: string): void {
  const count = held.get(path) ?? 0;
  if (count > 1) {
    held.set(path, count - 1);
    return;
  }
  if (count === 0) return;
  held.delete(path);
  const holder = readHolder(path);
  if (holder?.pid === process.pid && holder.host === hostname()) rmSync(path, { force: true });
}

function readHolder(path: string): PoolLockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<PoolLockHolder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? { pid: parsed.pid, host: parsed.host }
      : null;
  } catch {
    return null;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
