import type { Git } from "./git.js";
import { SlotCosts } from "./pool-costs.js";
import type { Entry, SlotTable } from "./pool-table.js";
import { type PoolEvent, slotName } from "./slot.js";
import { resetSlot } from "./slot-ops.js";
import { addSlotWorktree, rebuildSlot } from "./slot-rebuild.js";

/**
 * The pool's work on slots nobody holds: resets after release, moves, marks, slots made in advance. A
 * slot is `resetting` while it runs; on failure it is rebuilt from scratch, and if that fails too it is
 * broken. What making and resetting a slot cost serves the pool's later decisions (SlotCosts).
 */
export class SlotWork {
  /** What making and resetting a slot took lately, for the slots past the pool's eagerSlots. */
  costs = new SlotCosts();

  constructor(
    private readonly git: Git,
    private readonly table: SlotTable,
    private readonly hooks: { emit(event: PoolEvent): void; dispatch(): void },
  ) {}

  /** `git worktree add` for a new slot, timed for SlotCosts. */
  async make(entry: Entry, commit: string): Promise<void> {
    const started = performance.now();
    await addSlotWorktree(this.git, entry.dir, commit);
    this.costs.made(Math.round(performance.now() - started));
  }

  /** Resets a released slot to `target` (resetSlot: as a fresh checkout of it), in the background. */
  reset(entry: Entry, target?: string): Promise<void> {
    const started = performance.now();
    return this.run(entry, async () => {
      entry.cleanAt = await resetSlot(
        this.git,
        { dir: entry.dir, gitDir: this.table.gitDirOf(entry) },
        target,
      );
      const ms = performance.now() - started;
      this.costs.reset(ms);
      this.hooks.emit({ type: "slot:reset", slotId: slotName(entry.index), ms });
    });
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

  private markBroken(entry: Entry, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    Object.assign(entry, { state: "broken", branch: null, base: null, cleanAt: null, reason });
    this.hooks.emit({ type: "slot:broken", slotId: slotName(entry.index), reason });
  }
}
