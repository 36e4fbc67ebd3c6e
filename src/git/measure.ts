import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Git } from "./git.js";
import { WorktreePool } from "./pool.js";
import { deleteRefs, listRefs, resolveCommit } from "./refs.js";
import { ensureRepo } from "./repo.js";
import { addWorktree, pruneWorktrees, removeWorktree } from "./worktree-ops.js";

export interface MeasureResult {
  /** Median ms of acquire() on a free slot already clean at the base (the hand-off the engine pays). */
  warmHandoffP50Ms: number;
  /** Median ms of a fresh `worktree add` + `worktree remove` (what a pool-less design pays per task). */
  freshWorktreeP50Ms: number;
  iterations: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Measures slot readiness on a real repository, in a pool directory outside it; every worktree and
 * branch it makes is removed again. For `orchard bench`; not a test assertion.
 */
export async function measureSlotReady(opts: {
  repoDir: string;
  iterations?: number;
}): Promise<MeasureResult> {
  const iterations = opts.iterations ?? 20;
  const git = new Git(await ensureRepo(opts.repoDir));
  const base = await resolveCommit(git, "HEAD");
  const scratch = await mkdtemp(join(tmpdir(), "orchard-measure-"));
  const pool = new WorktreePool({ git, dir: join(scratch, "pool"), maxSlots: 1 });
  const prefix = `refs/heads/orchard/measure-${process.pid}-${Date.now()}/`;
  const warm: number[] = [];
  const fresh: number[] = [];
  try {
    await pool.init();
    await pool.prewarm(1, base);
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      const slot = await pool.acquire(base, `${prefix.slice("refs/heads/".length)}${i}`);
      warm.push(performance.now() - started);
      pool.release(slot);
      await pool.settled();
    }
    for (let i = 0; i < iterations; i++) {
      const dir = join(scratch, `fresh-${i}`);
      const started = performance.now();
      await addWorktree(git, dir, base);
      await removeWorktree(git, dir);
      fresh.push(performance.now() - started);
    }
  } finally {
    // Not pool.destroy(): that deletes every orchard ref, and a real run may own some.
    await pool.settled();
    for (const slot of pool.slots()) await removeWorktree(git, slot.dir).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
    await pruneWorktrees(git);
    await deleteRefs(
      git,
      (await listRefs(git, prefix)).map((entry) => entry.ref),
    );
  }
  return { warmHandoffP50Ms: median(warm), freshWorktreeP50Ms: median(fresh), iterations };
}
