import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Mutex } from "async-mutex";
import { runProcess } from "../agent/index.js";
import { commitAll, deleteRefs, Git, listRefs, resolveCommit } from "../git/index.js";
import { sleepAgentScript } from "./agent.js";

/**
 * What every peer tool does: a fresh `git worktree add -b` per task, the agent, a commit, then
 * `git worktree remove`. Same agent, same commit code and same worker count as the engine row it is
 * compared with, but with no store, no events and no merges, so the comparison flatters the baseline.
 * worktree add/remove are serialized per repository, as git needs (they rewrite .git/worktrees).
 */
export async function runFreshBaseline(
  repo: string,
  tasks: number,
  workers: number,
  durationMs: number,
): Promise<{ completedMs: number; addMs: number[]; removeMs: number[]; commits: string[] }> {
  const git = new Git(repo);
  const base = await resolveCommit(git, "HEAD");
  const scratch = await mkdtemp(join(tmpdir(), "orchard-bench-fresh-"));
  const prefix = `orchard/bench-fresh-${process.pid}-${Date.now()}`;
  const worktrees = new Mutex();
  const script = sleepAgentScript(durationMs);
  const addMs: number[] = [];
  const removeMs: number[] = [];
  const commits: string[] = [];
  let next = 0;
  let lastCommitted = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < tasks; i = next++) {
      const id = `1.${i + 1}`;
      const dir = join(scratch, `task-${id}`);
      let t = performance.now();
      await worktrees.runExclusive(() =>
        git.run(["worktree", "add", "-q", "-b", `${prefix}/${id}`, dir, base]),
      );
      addMs.push(performance.now() - t);
      const agent = await runProcess({
        argv: ["sh", "-c", script.replace("{task_id}", id)],
        cwd: dir,
        input: "",
      });
      if (agent.exitCode !== 0) throw new Error(`baseline agent failed in ${dir}: exit ${agent.exitCode}`);
      const gitDir = (await git.run(["rev-parse", "--absolute-git-dir"], { cwd: dir })).stdout.trim();
      const committed = await commitAll(git, { dir, gitDir }, `Task ${id}\n`, { since: base });
      if (committed.commit) commits.push(committed.commit);
      lastCommitted = performance.now();
      t = performance.now();
      await worktrees.runExclusive(() => git.run(["worktree", "remove", "--force", dir]));
      removeMs.push(performance.now() - t);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, worker));
    return { completedMs: lastCommitted - t0, addMs, removeMs, commits };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await git.run(["worktree", "prune"]);
    await deleteRefs(
      git,
      (await listRefs(git, `refs/heads/${prefix}/`)).map((r) => r.ref),
    );
  }
}
