import type { SlotId } from "../store/types.js";

/** A slot as handed to the engine: one pooled worktree, leased for one task attempt. */
export interface Slot {
  id: SlotId;
  /** 1 for `wt-1`. */
  index: number;
  /** Absolute path of the worktree. */
  dir: string;
  /** Its own git directory, learnt before any agent ran there: every git command names it. */
  gitDir: string;
  /** First of this slot's block of ports (ORCHARD_PORT_BASE). */
  portBase: number;
  /** Short branch name the slot is on, e.g. `orchard/<run>/tasks/<task>`. */
  branch: string;
  /** The commit the slot was handed out at. */
  base: string;
}

export type SlotState = "free" | "busy" | "resetting" | "broken";

/** What `WorktreePool.slots()` reports, for status and the dashboard. */
export interface SlotSnapshot {
  id: SlotId;
  index: number;
  dir: string;
  portBase: number;
  state: SlotState;
  /** For busy slots. */
  branch: string | null;
  base: string | null;
  /** For free slots: the commit the slot is clean at. */
  cleanAt: string | null;
  reason: string | null;
}

export type PoolEvent =
  | { type: "slot:created"; slotId: SlotId; ms: number }
  | { type: "slot:acquired"; slotId: SlotId; branch: string; ms: number }
  | { type: "slot:reset"; slotId: SlotId; ms: number }
  | { type: "slot:broken"; slotId: SlotId; reason: string };

export const PORTS_PER_SLOT = 100;
export const slotName = (index: number): SlotId => `wt-${index}` as SlotId;
export const SLOT_DIR_PATTERN = /^wt-([1-9][0-9]*)$/;

/** In the pool directory beside the slots: what making a slot took at its quickest (SlotCosts). */
export const SLOT_COSTS_FILE = ".slot-costs.json";

/** Accepts `orchard/…` or `refs/heads/orchard/…`; anything else is refused (Orchard owns no other refs). */
export function normalizeBranch(branch: string): string {
  const short = branch.startsWith("refs/heads/") ? branch.slice("refs/heads/".length) : branch;
  if (!short.startsWith("orchard/") || short.length <= "orchard/".length) {
    throw new Error(`slot branches must live under refs/heads/orchard/, got ${JSON.stringify(branch)}`);
  }
  return short;
}
