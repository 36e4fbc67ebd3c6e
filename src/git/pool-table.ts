import { join } from "node:path";
import { type SlotSnapshot, type SlotState, slotName } from "./slot.js";
import { realSlotGitDir } from "./slot-ops.js";

/** One slot as the pool keeps it in memory. */
export interface Entry {
  index: number;
  dir: string;
  state: SlotState;
  /** For free slots: the commit the slot is known to be clean at (null: unknown, needs a move). */
  cleanAt: string | null;
  branch: string | null;
  base: string | null;
  reason: string | null;
  /** In-flight background work (reset, creation, move). */
  work: Promise<void> | null;
  /** The slot's git dir (real path), once known; forgotten when the worktree is created again. */
  gitDir: string | null;
  /** Its clean mark is on disk (see `WorktreePool.settled`). */
  marked: boolean;
  /** Released, its reset put off until a slot is wanted (`WorktreePool.release`); state "resetting". */
  deferred: boolean;
}

/**
 * The pool's slots in memory and the questions the pool asks of them, all synchronous: which exist, in
 * what state, which is free at a commit, which indexes are taken. The pool does the git and file work.
 */
export class SlotTable {
  private readonly entries = new Map<number, Entry>();

  /** Adds slot `index` (its worktree at `<poolDir>/wt-<index>`) in `state`. */
  add(poolDir: string, index: number, state: SlotState): Entry {
    const entry: Entry = {
      index,
      dir: join(poolDir, slotName(index)),
      state,
      cleanAt: null,
      branch: null,
      base: null,
      reason: null,
      work: null,
      gitDir: null,
      marked: false,
      deferred: false,
    };
    this.entries.set(index, entry);
    return entry;
  }

  get(index: number): Entry | undefined {
    return this.entries.get(index);
  }

  delete(index: number): void {
    this.entries.delete(index);
  }

  clear(): void {
    this.entries.clear();
  }

  all(): Entry[] {
    return [...this.entries.values()];
  }

  inState(state: SlotState): Entry[] {
    return this.all().filter((entry) => entry.state === state);
  }

  /** The lowest index not in use. */
  nextIndex(): number {
    let index = 1;
    while (this.entries.has(index)) index++;
    return index;
  }

  /** Slots that count against the pool's size (broken ones do not). */
  liveCount(): number {
    return this.all().filter((entry) => entry.state !== "broken").length;
  }

  /** Background work in flight. */
  pendingWork(): Promise<void>[] {
    return this.all()
      .map((entry) => entry.work)
      .filter((work) => work !== null);
  }

  /** Free slots whose clean mark is not on disk yet. */
  unmarked(): Entry[] {
    return this.inState("free").filter((entry) => !entry.marked && entry.cleanAt !== null);
  }

  /** The slot's git dir, resolved once. */
  gitDirOf(entry: Entry): string {
    entry.gitDir ??= realSlotGitDir(entry.dir);
    return entry.gitDir;
  }

  /** Git dirs of the slots whose HEADs the pool tracks itself (all but broken ones, once resolved). */
  knownGitDirs(): Set<string> {
    const dirs = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.state === "broken") continue;
      // Resolved here rather than at each slot's first hand-off: a slot left out is one whose HEAD and
      // rebase files every hand-off reads (~0.4 ms for eight slots, docs/benchmarks.md).
      try {
        dirs.add(this.gitDirOf(entry));
      } catch {
        // Not a worktree yet (being created) or no more: its files are read, as git would.
      }
    }
    return dirs;
  }

  snapshots(portOf: (index: number) => number): SlotSnapshot[] {
    return this.all()
      .sort((a, b) => a.index - b.index)
      .map((entry) => ({
        id: slotName(entry.index),
        index: entry.index,
        dir: entry.dir,
        portBase: portOf(entry.index),
        state: entry.state,
        branch: entry.state === "busy" ? entry.branch : null,
        base: entry.state === "busy" ? entry.base : null,
        cleanAt: entry.state === "free" ? entry.cleanAt : null,
        reason: entry.reason,
      }));
  }
}
