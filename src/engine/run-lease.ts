import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { OrchardError } from "../errors.js";
import { processAlive } from "../spawner/index.js";
import type { RunId, Store } from "../store/types.js";

/**
 * One process drives a run at a time (issue 20 item 3): it holds the run's lease, a named lock in the
 * store renewed while it runs. `orchard clean` holds the repository's clean lock while it removes
 * worktrees and branches. Each side takes its own lock first and then looks for the other's, so a run
 * starting while a clean starts is refused by one of the two, never missed by both.
 */
export const runLeaseName = (runId: RunId | string) => `run:${runId}`;
export const cleanLockName = (repo: string) => `clean:${repo}`;

/** A lock owner names its host and pid, so that a refusal can say who holds it. */
export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export interface Holder {
  host: string;
  pid: number;
  owner: string;
  expiresAt: number;
}

export function parseOwner(owner: string): { host: string; pid: number } {
  const parts = owner.split(":");
  const pid = Number(parts.at(-2));
  return { host: parts.slice(0, -2).join(":") || owner, pid: Number.isInteger(pid) ? pid : 0 };
}

/** The live holder of a lock: unexpired, and not a dead process of this host (a crash or SIGKILL). */
export async function liveHolder(store: Store, name: string): Promise<Holder | undefined> {
  const held = await store.lockHolder(name);
  if (!held) return undefined;
  const who = parseOwner(held.owner);
  if (who.host === hostname() && who.pid > 0 && !processAlive(who.pid)) return undefined;
  return { ...who, ...held };
}

/**
 * Takes a lock, or its dead holder's place (same host, process gone); returns the live holder when
 * someone else has it.
 */
export async function takeLock(
  store: Store,
  name: string,
  owner: string,
  ttlMs: number,
): Promise<Holder | undefined> {
  for (let i = 0; i < 3; i++) {
    if (await store.tryLock(name, owner, ttlMs)) return undefined;
    const held = await store.lockHolder(name);
    if (!held) continue; // expired or released meanwhile
    const live = await liveHolder(store, name);
    if (live) return live;
    await store.unlock(name, held.owner);
  }
  const live = await liveHolder(store, name);
  return live ?? { host: "?", pid: 0, owner: "?", expiresAt: 0 };
}

export interface RunLease {
  owner: string;
  /** Renews it; false once another process has taken it over (this one was stalled past its expiry). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** Takes the run's lease for this process, or says who drives the run; refuses while a clean is under way. */
export async function acquireRunLease(
  store: Store,
  runId: RunId,
  repo: string,
  ttlMs: number,
  owner = newOwner(),
): Promise<RunLease> {
  const name = runLeaseName(runId);
  const holder = await takeLock(store, name, owner, ttlMs);
  if (holder) {
    throw new OrchardError(
      "RUN_BUSY",
      `run ${runId} is being driven by pid ${holder.pid} on ${holder.host}; one process drives a run at a time. Stop that process first (Ctrl-C in its terminal, or \`orchard cancel ${runId}\`)${holder.host === hostname() ? "" : `, or wait until its lease expires at ${new Date(holder.expiresAt).toISOString()} if it is gone`}`,
    );
  }
  const cleaning = await liveHolder(store, cleanLockName(repo));
  if (cleaning) {
    await store.unlock(name, owner);
    throw new OrchardError(
      "RUN_BUSY",
      `\`orchard clean\` (pid ${cleaning.pid} on ${cleaning.host}) is removing Orchard's worktrees and branches in ${repo}; start the run when it is done`,
    );
  }
  return {
    owner,
    renew: () => store.tryLock(name, owner, ttlMs),
    release: () => store.unlock(name, owner),
  };
}

/**
 * Frees a lock whose holder died on this host (SIGKILL mid-integration left `integrate:<run>` held for
 * its whole time limit: the resumed run waited two minutes before landing anything). Only the process
 * holding the run's lease calls it, so no live process of that run is using the lock.
 */
export async function releaseDeadLock(store: Store, name: string): Promise<void> {
  const held = await store.lockHolder(name);
  if (held && !(await liveHolder(store, name))) await store.unlock(name, held.owner);
}
