import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Git } from "./git.js";
import { repoIdentity } from "./identity.js";
import { indexCleanKey } from "./index-tree.js";
import { SlotCosts } from "./pool-costs.js";
import type { Entry, SlotTable } from "./pool-table.js";
import { isFullSha } from "./ref-files.js";
import { type PoolEvent, slotName } from "./slot.js";
import { resetSlot } from "./slot-ops.js";
import { addSlotWorktree, rebuildSlot } from "./slot-rebuild.js";
import { IndexSnapshot, undoAdditions } from "./slot-undo.js";

/**
 * The pool's work on slots nobody holds: resets after release, moves, marks, slots made in advance. A
 * slot is `resetting` while it runs; on failure it is rebuilt from scratch, and if that fails too it is
 * broken. What it learns on the way — which resets may leave out `git clean`, what making and resetting
 * a slot cost — serves the pool's later decisions.
 */
export class SlotWork {
  /** What making and resetting a slot took lately, for the slots past the pool's eagerSlots. */
  costs = new SlotCosts();
  /** Commit → its clean key (index-tree.ts), learnt from a slot's index after a full reset there. */
  private readonly cleanKeys = new Map<string, string>();

  constructor(
    private readonly git: Git,
    private readonly table: SlotTable,
    private readonly hooks: { emit(event: PoolEvent): void; dispatch(): void; commonDir(): string },
  ) {}

  /** `git worktree add` for a new slot, timed for SlotCosts. */
  async make(entry: Entry, commit: string): Promise<void> {
    const started = performance.now();
    await addSlotWorktree(this.git, entry.dir, commit);
    this.costs.made(Math.round(performance.now() - started));
    this.learn(entry, commit);
  }

  /**
   * A reset after a commit that staged the whole work tree leaves out `git clean` when the commit's
   * clean key is the target's (index-tree.ts): the checkout then leaves nothing clean would remove, as
   * `git add -A` left no untracked file and both ignore the same files. One git process fewer per task
   * (measured in docs/benchmarks.md). An empty directory the agent made may stay: git sees no file in
   * it, so no commit can carry it. Where, on top of that, the task only added files, the checkout is
   * done in-process (slot-undo.ts): no git process at all.
   */
  reset(entry: Entry, target?: string): Promise<void> {
    const started = performance.now();
    const staged = entry.stagedKey;
    entry.stagedKey = null;
    return this.run(entry, async () => {
      const known = target !== undefined ? this.cleanKeys.get(target) : undefined;
      const skipClean = staged !== null && known !== undefined && known === staged;
      const undone = skipClean && target !== undefined ? await this.undo(entry, target) : false;
      if (undone === true) entry.cleanAt = target!;
      else {
        // Halfway through an undo that failed, git cleans as well.
        entry.cleanAt = await resetSlot(this.git, entry.dir, target, {
          skipClean: skipClean && undone === false,
        });
        this.learn(entry, entry.cleanAt);
      }
      const ms = performance.now() - started;
      this.costs.reset(ms);
      this.hooks.emit({ type: "slot:reset", slotId: slotName(entry.index), ms });
    });
  }

  /** The in-process reset to `target`: true when done, false when git must do it, null when it failed halfway. */
  private async undo(entry: Entry, target: string): Promise<boolean | null> {
    const snapshot = entry.snapshot;
    if (snapshot?.commit !== target) return false;
    const plain = await repoIdentity(this.git).then(
      (found) => found.plainPaths,
      () => false,
    );
    if (!plain) return false;
    try {
      return await undoAdditions(entry.dir, this.table.gitDirOf(entry), this.hooks.commonDir(), snapshot);
    } catch {
      entry.snapshot = null;
      return null;
    }
  }

  /**
   * Runs `job` for a slot that is resetting; on success the slot is free (clean at `cleanAt` when given),
   * on failure it is rebuilt from scratch, and if that fails too it is broken. Never rejects.
   */
  run(entry: Entry, job: () => Promise<unknown>, cleanAt?: string): Promise<void> {
    entry.state = "resetting";
    const run = async () => {
      try {
        await job();
        if (cleanAt !== undefined) entry.cleanAt = cleanAt;
      } catch {
        entry.gitDir = null;
        entry.snapshot = null;
        try {
          entry.cleanAt = await rebuildSlot(this.git, entry.dir, entry.base ?? cleanAt ?? "HEAD");
        } catch (error) {
          this.markBroken(entry, error);
          return;
        }
      }
      Object.assign(entry, { state: "free", branch: null, base: null, reason: null });
    };
    const work = run().finally(() => {
      entry.work = null;
      this.hooks.dispatch();
    });
    entry.work = work;
    return work;
  }

  /** After a hand-off that failed: the slot is reset, or forgotten if it was never made. */
  afterFailedHandOff(entry: Entry, created: boolean): void {
    if (created && entry.cleanAt === null) {
      // `worktree add` itself failed: forget the slot so its index can be tried again.
      this.table.delete(entry.index);
      this.hooks.dispatch();
      return;
    }
    entry.work = this.reset(entry);
  }

  /**
   * Reads the index of a slot that is clean at `at` (git just checked it out, or it is handed off
   * clean): the snapshot a later reset may restore (slot-undo.ts), and the commit's clean key. Before
   * a hand-off completes, so that no task can have written to the index yet. Synchronously: one small
   * file, where a thread-pool read would be the last thing a hand-off waits for.
   */
  learn(entry: Entry, at: string): void {
    let index: Buffer | null = null;
    try {
      if (isFullSha(at)) index = readFileSync(join(this.table.gitDirOf(entry), "index"));
    } catch {
      // No index to learn from: the slot's next reset goes to git.
    }
    entry.snapshot = index ? new IndexSnapshot(at, index) : null;
    if (index === null || this.cleanKeys.has(at)) return;
    const key = indexCleanKey(index);
    if (key === null) return;
    if (this.cleanKeys.size >= 64) this.cleanKeys.clear();
    this.cleanKeys.set(at, key);
  }

  private markBroken(entry: Entry, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    Object.assign(entry, { state: "broken", branch: null, base: null, cleanAt: null, reason });
    this.hooks.emit({ type: "slot:broken", slotId: slotName(entry.index), reason });
  }
}
