import { realpathSync } from "node:fs";
import { availableParallelism } from "node:os";
import { type CleanResult, cleanPool } from "./clean.js";
import { GitError } from "./errors.js";
import { isFullSha } from "./files.js";
import type { Git } from "./git.js";
import { SlotCosts } from "./pool-costs.js";
import { leasePoolDir } from "./pool-lock.js";
import { recoverPool } from "./pool-recover.js";
import { type Entry, SlotTable } from "./pool-table.js";
import { SlotWork } from "./pool-work.js";
import { resolveCommit } from "./refs.js";
import { repoLayout } from "./repo.js";
import {
  normalizeBranch,
  PORTS_PER_SLOT,
  type PoolEvent,
  type Slot,
  type SlotSnapshot,
  slotName,
} from "./slot.js";
import { cleanMark, handOffClean, handOffMoved, markClean, moveSlot, unmarkClean } from "./slot-ops.js";
import { defaultPoolDir } from "./state-dir.js";

export interface WorktreePoolOptions {
  git: Git;
  /** Default `<git common dir>/orchard/worktrees` (stateDir). */
  dir?: string;
  /** First port of wt-1's block; each slot gets 100. Default 20000. */
  portBase?: number;
  /** Most slots the pool creates; more acquirers queue. Default: the machine's parallelism. */
  maxSlots?: number;
  /**
   * Up to this many slots, an acquirer that finds none free (and no reset on its way) has one made for
   * it. Past it, up to maxSlots, only while making one is known to cost little next to a reset
   * (SlotCosts): a worktree of a large repository takes a second or more to make, a reset tens of ms, and
   * the acquirer waits for a reset instead. Default: maxSlots.
   */
  eagerSlots?: number;
  /** Past eagerSlots, a slot is made only while making one takes at most this many resets. Default 5. */
  growthCostRatio?: number;
  /** Called synchronously; a throwing listener is ignored. */
  onEvent?: (event: PoolEvent) => void;
}

interface Claim {
  entry: Entry;
  create: boolean;
}

interface Waiter {
  base: string;
  resolve: (claim: Claim) => void;
  reject: (error: Error) => void;
}

/**
 * Reusable worktrees (`wt-1` …) for task attempts. State lives in memory: a slot is free (clean at a
 * known commit), busy, resetting (in the background after release) or broken. Hand-off of a free slot
 * that is clean at the requested base is two ref commands; everything slow happens after release.
 */
export class WorktreePool {
  readonly git: Git;
  private readonly portBase: number;
  private readonly maxSlots: number;
  private readonly eagerSlots: number;
  private readonly growthCostRatio: number;
  private readonly onEvent: ((event: PoolEvent) => void) | undefined;
  private dir: string;
  private readonly table = new SlotTable();
  private readonly waiters: Waiter[] = [];
  private commonDir = "";
  private initialized = false;
  /** Serializes the start of acquire so that waiters queue in call order. */
  private gate: Promise<void> = Promise.resolve();
  private closed = false;
  /** Resets, moves and makes of slots nobody holds, and what they learn. */
  private readonly work: SlotWork;

  /** This process's hold on the pool directory (pool-lock.ts), from init to release. */
  private lock: { release(): void } | null = null;
  private readonly dirGiven: boolean;

  constructor(opts: WorktreePoolOptions) {
    this.git = opts.git;
    this.dirGiven = opts.dir !== undefined;
    this.dir = opts.dir ?? "";
    this.portBase = opts.portBase ?? 20_000;
    this.maxSlots = Math.max(1, opts.maxSlots ?? availableParallelism());
    this.eagerSlots = Math.min(this.maxSlots, opts.eagerSlots ?? this.maxSlots);
    this.growthCostRatio = opts.growthCostRatio ?? 5;
    this.onEvent = opts.onEvent;
    this.work = new SlotWork(this.git, this.table, {
      emit: (event) => this.emit(event),
      dispatch: () => this.dispatch(),
    });
  }

  /** The pool directory (its real path once initialized; empty before, unless given). */
  get poolDir(): string {
    return this.dir;
  }

  /**
   * Prepares the pool directory, recovers from a crash (prune, stale locks, stray directories) and
   * adopts existing `wt-N` worktrees. A slot whose clean mark (written when the last pool settled, after
   * the slot's reset) matches its detached HEAD is free at once; any other is reset in the background
   * before it is handed out. The mark trusts that nobody edits files in a free slot between runs: the
   * pool directory is Orchard's own (`orchard clean` starts it over).
   */
  async init(): Promise<void> {
    if (this.initialized) return;
    if (!this.lock) {
      if (!this.dirGiven) this.dir = await defaultPoolDir(this.git);
      const leased = leasePoolDir(this.dir, this.dirGiven);
      this.dir = leased.dir;
      this.lock = leased;
    }
    const layout = await repoLayout(this.git);
    const recovered = await recoverPool(this.git, layout.toplevel, this.dir);
    this.dir = recovered.poolDir;
    this.work.costs = SlotCosts.load(this.dir);
    this.commonDir = realpathSync.native(layout.commonDir);
    const adopted = recovered.slotIndexes.map((index) => this.table.add(this.dir, index, "resetting"));
    const marks = await Promise.all(adopted.map((entry) => cleanMark(entry.dir)));
    adopted.forEach((entry, i) => {
      const at = marks[i] ?? null;
      if (at !== null) Object.assign(entry, { state: "free", cleanAt: at, marked: true });
      else entry.work = this.work.reset(entry);
    });
    this.initialized = true;
  }

  /**
   * Leases a slot, checked out at `base` on the (force-created) branch `branch`, clean. `onWait` is
   * called (once) when no slot is at hand: the acquirer waits for one, or git makes or moves it.
   */
  async acquire(base: string, branch: string, opts: { onWait?: () => void } = {}): Promise<Slot> {
    this.assertUsable();
    const started = performance.now();
    const short = normalizeBranch(branch);
    // Acquirers take their place in the queue in the order they called, whatever order their commit
    // lookups finish in (git runs in processes of its own): the lookup happens behind a gate.
    const turn = this.gate.then(async () => {
      const sha = isFullSha(base) ? base : await resolveCommit(this.git, base);
      await this.waitForBranch(short);
      const claimed = this.claim(sha, this.waiters.length);
      return { sha, claimed: claimed ? Promise.resolve(claimed) : this.enqueue(sha), queued: !claimed };
    });
    this.gate = turn.then(
      () => {},
      () => {},
    );
    const { sha, claimed, queued } = await turn;
    if (queued) opts.onWait?.();
    const { entry, create } = await claimed;
    if (!queued && (create || entry.cleanAt !== sha)) opts.onWait?.();
    try {
      if (create) {
        await this.work.make(entry, sha);
        entry.cleanAt = sha;
        this.emit({ type: "slot:created", slotId: slotName(entry.index), ms: performance.now() - started });
      }
      // The mark goes before the agent can touch a file: a crash from here on means "reset me".
      const unmarked = entry.marked ? unmarkClean(entry.dir) : Promise.resolve();
      entry.marked = false;
      const dirs = { dir: entry.dir, gitDir: this.table.gitDirOf(entry) };
      const handedOff =
        entry.cleanAt === sha
          ? handOffClean(
              this.git,
              {
                ...dirs,
                commonDir: this.commonDir,
                cleanAt: sha,
                // The pool knows what its own slots hold (waitForBranch): only other worktrees are read.
                poolGitDirs: this.table.knownGitDirs(),
              },
              short,
              sha,
            )
          : handOffMoved(this.git, dirs, short, sha);
      await Promise.all([unmarked, handedOff]);
    } catch (error) {
      this.work.afterFailedHandOff(entry, create);
      throw error;
    }
    Object.assign(entry, { state: "busy", cleanAt: null, branch: short, base: sha });
    const slot = this.toSlot(entry);
    this.emit({ type: "slot:acquired", slotId: slot.id, branch: short, ms: performance.now() - started });
    return slot;
  }

  /**
   * Returns a slot at once; it is reset in the background, detached and clean at the base it was leased
   * at: the next task of the same batch (or the next run from an unmoved branch) starts from there, and
   * its hand-off is then two ref commands instead of a checkout.
   */
  release(slot: Slot, opts: { defer?: boolean } = {}): void {
    const entry = this.table.get(slot.index);
    if (entry?.state !== "busy" || entry.branch !== slot.branch) {
      throw new Error(`slot ${slot.id} is not leased on ${slot.branch}`);
    }
    entry.state = "resetting";
    if (opts.defer && !this.closed) {
      // Put off while nothing waits for a slot (the caller knows nothing is left to claim): the reset's
      // two git processes then compete with no commit or merge still running (docs/benchmarks.md), and
      // a slot wanted later is reset straight to its new base, one checkout instead of two.
      entry.deferred = true;
      if (this.waiters.length > 0) this.dispatch();
      return;
    }
    entry.work = this.work.reset(entry, entry.base ?? undefined);
  }

  /** Gives the pool directory back (after settled(): its slots are clean and marked for the next pool). */
  releaseDir(): void {
    this.lock?.release();
    this.lock = null;
  }

  /** Makes `n` slots (at most maxSlots) free and clean at `base`, creating them if needed. */
  async prewarm(n: number, base: string): Promise<void> {
    this.assertUsable();
    const sha = isFullSha(base) ? base : await resolveCommit(this.git, base);
    await this.settled();
    const target = Math.min(n, this.maxSlots);
    const jobs: Promise<void>[] = [];
    let ready = 0;
    for (const entry of this.table.all()) {
      if (ready >= target || entry.state !== "free") continue;
      ready++;
      if (entry.cleanAt !== sha)
        jobs.push(
          this.work.run(
            entry,
            () => moveSlot(this.git, { dir: entry.dir, gitDir: this.table.gitDirOf(entry) }, sha),
            sha,
          ),
        );
    }
    for (; ready < target && this.table.liveCount() < this.maxSlots; ready++) {
      const entry = this.table.add(this.dir, this.table.nextIndex(), "resetting");
      jobs.push(this.work.run(entry, () => this.work.make(entry, sha), sha));
    }
    await Promise.all(jobs);
  }

  /**
   * Resolves when no slot is being reset, moved or created, and every free slot carries its clean mark:
   * marks are written here (a run's end) rather than after each reset, a file write saved per task. A
   * crash before that leaves slots unmarked, and the next pool resets them: the safe side.
   */
  async settled(): Promise<void> {
    for (;;) {
      for (const entry of this.table.all()) {
        if (entry.deferred) this.startDeferred(entry);
      }
      const work = this.table.pendingWork();
      if (work.length > 0) {
        await Promise.all(work);
        continue;
      }
      const unmarked = this.table.unmarked();
      if (unmarked.length === 0) return;
      // As background work, so no acquirer takes a slot while its mark is being written.
      for (const entry of unmarked) {
        const at = entry.cleanAt!;
        entry.marked = true;
        // Without its mark the slot is only reset again by the next pool that adopts it: no harm done.
        void this.work.run(entry, () => markClean(entry.dir, at).catch(() => undefined), at);
      }
    }
  }

  slots(): SlotSnapshot[] {
    return this.table.snapshots((index) => this.portOf(index));
  }

  /** Removes every slot worktree and every ref under refs/heads/orchard/ (for `orchard clean`). */
  async destroy(): Promise<CleanResult> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("the worktree pool was destroyed"));
    await this.settled();
    this.table.clear();
    const removed = await cleanPool(this.git, this.dir);
    this.releaseDir();
    return removed;
  }

  // ── claiming ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Synchronous, so two acquirers can never take the same slot. Prefers a slot clean at `base`, then
   * any free slot; creates a slot only when the resets in flight would not serve the `queued` waiters
   * ahead (a reset takes tens of ms, a new worktree hundreds), past `eagerSlots` only where that is cheap.
   */
  private claim(base: string, queued: number): Claim | null {
    const free = this.table.inState("free");
    const entry = free.find((e) => e.cleanAt === base) ?? free[0];
    if (entry) {
      entry.state = "busy";
      return { entry, create: false };
    }
    const resetting = this.table.inState("resetting");
    if (resetting.filter((e) => !e.deferred).length > queued) return null;
    // A slot whose reset was put off is reset now, straight to the base wanted, and handed over when
    // that is done (one checkout, where a reset then a move to another base would be two).
    const deferred = resetting.find((e) => e.deferred);
    if (deferred) {
      this.startDeferred(deferred, base);
      return null;
    }
    const live = this.table.liveCount();
    if (live >= this.maxSlots) return null;
    if (live >= this.eagerSlots && !this.work.costs.growthPaysOff(this.growthCostRatio)) return null;
    return { entry: this.table.add(this.dir, this.table.nextIndex(), "busy"), create: true };
  }

  private enqueue(base: string): Promise<Claim> {
    return new Promise((resolve, reject) => this.waiters.push({ base, resolve, reject }));
  }

  /** Hands freed (or newly creatable) slots to waiters in arrival order. */
  private dispatch(): void {
    while (this.waiters.length > 0 && !this.closed) {
      const claim = this.claim(this.waiters[0]!.base, 0);
      if (!claim) return;
      this.waiters.shift()!.resolve(claim);
    }
  }

  /** A branch held by a slot that is still resetting becomes free when the reset detaches it. */
  private async waitForBranch(branch: string): Promise<void> {
    for (const entry of this.table.all()) {
      if (entry.branch !== branch) continue;
      if (entry.state === "busy") {
        throw new GitError({
          code: "BRANCH_CHECKED_OUT",
          args: [],
          exitCode: null,
          stderr: `branch ${branch} is leased to slot ${slotName(entry.index)}`,
        });
      }
      if (entry.deferred) this.startDeferred(entry);
      if (entry.work) await entry.work;
    }
  }

  /** Starts the reset a release put off: to `target`, or the base the slot was leased at. */
  private startDeferred(entry: Entry, target?: string): void {
    entry.deferred = false;
    entry.work = this.work.reset(entry, target ?? entry.base ?? undefined);
  }

  // ── bookkeeping ─────────────────────────────────────────────────────────────────────────────────

  private portOf(index: number): number {
    return this.portBase + (index - 1) * PORTS_PER_SLOT;
  }

  private toSlot(entry: Entry): Slot {
    return {
      id: slotName(entry.index),
      index: entry.index,
      dir: entry.dir,
      gitDir: this.table.gitDirOf(entry),
      portBase: this.portOf(entry.index),
      branch: entry.branch!,
      base: entry.base!,
    };
  }

  private assertUsable(): void {
    if (!this.initialized) throw new Error("WorktreePool.init() must be called first");
    if (this.closed) throw new Error("the worktree pool was destroyed");
  }

  private emit(event: PoolEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A failing listener must not break the pool.
    }
  }
}
