import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SLOT_COSTS_FILE } from "./slot.js";

/** What a reset is taken to cost before this pool has timed one (200 files: ~50 ms, 5,000: ~120 ms here). */
const ASSUMED_RESET_MS = 50;

/**
 * What making a slot (`git worktree add`) and resetting one took in one pool, for the slots past its
 * eager count: such a slot only saves its users a wait for a reset, so it is made only while making one
 * costs at most `ratio` resets. A small repository's worktree takes tens of ms to make, a large one's
 * seconds of checkout that compete with the run for the CPU (here 200 files: 21–85 ms at best, resets
 * ~50 ms; 5,000 files: 0.17 s alone but 1.4 s and more when made twenty at once, resets ~120 ms;
 * docs/benchmarks.md). Making is timed at its quickest (slots made together wait for each other) and
 * kept for the pools after this one, which adopt the slots instead of making them; resets on a moving
 * average. Until a slot's making has been timed, no.
 */
export class SlotCosts {
  private resetMs: number | null = null;

  /**
   * `madeMs`: what an earlier pool in the same directory measured, if anything; `file`: where the
   * quickest making is kept for the next pool (none: kept in memory only).
   */
  constructor(
    private madeMs: number | null = null,
    private readonly file: string | null = null,
  ) {}

  /** The costs of the pool in `poolDir`, with what an earlier pool there kept (SLOT_COSTS_FILE). */
  static load(poolDir: string): SlotCosts {
    const file = join(poolDir, SLOT_COSTS_FILE);
    let madeMs: number | null = null;
    try {
      const kept = (JSON.parse(readFileSync(file, "utf8")) as { madeMs?: unknown }).madeMs;
      if (typeof kept === "number" && Number.isFinite(kept) && kept >= 0) madeMs = kept;
    } catch {
      // None kept yet, or unreadable: as if none.
    }
    return new SlotCosts(madeMs, file);
  }

  /** Records a slot's making; the quickest so far is kept for the next pool. */
  made(ms: number): void {
    if (this.madeMs !== null && this.madeMs <= ms) return;
    this.madeMs = ms;
    if (this.file === null) return;
    try {
      writeFileSync(this.file, `${JSON.stringify({ madeMs: ms })}\n`);
    } catch {
      // Only a hint for the next pool: without it, that pool grows only once it has made a slot.
    }
  }

  reset(ms: number): void {
    this.resetMs = this.resetMs === null ? ms : 0.8 * this.resetMs + 0.2 * ms;
  }

  growthPaysOff(ratio: number): boolean {
    if (this.madeMs === null) return false;
    return this.madeMs <= ratio * (this.resetMs ?? ASSUMED_RESET_MS);
  }
}
