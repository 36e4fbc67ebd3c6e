import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { Git, WorktreePool } from "../../../src/git/index.js";
import { takePoolLock } from "../../../src/git/pool-lock.js";
import { makeRepo, poolDirOf, type TestRepo } from "../../helpers/git-repo.js";
import { runPlan } from "../../helpers/orchard.js";

const repos: TestRepo[] = [];
const sleepers: ChildProcess[] = [];
afterEach(async () => {
  for (const s of sleepers.splice(0)) s.kill("SIGKILL");
  for (const r of repos.splice(0)) await r.cleanup();
});

/** A live process of this machine that is not this one: another Orchard, as far as a lock can tell. */
function anotherProcess(): number {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  sleepers.push(child);
  return child.pid!;
}

async function deadPid(): Promise<number> {
  const gone = execa("true");
  const pid = gone.pid!;
  await gone;
  return pid;
}

function holdAs(poolDir: string, pid: number): void {
  mkdirSync(join(poolDir, ".."), { recursive: true });
  writeFileSync(`${poolDir}.lock`, JSON.stringify({ pid, host: hostname() }));
}

describe("the pool directory's lock", () => {
  it("is refused while another live process holds it, and taken over once that process is gone", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const dir = poolDirOf(repo.dir);
    const other = anotherProcess();
    holdAs(dir, other);
    expect(takePoolLock(dir)).toEqual({ heldBy: { pid: other, host: hostname() } });
    holdAs(dir, await deadPid());
    const lock = takePoolLock(dir);
    expect("release" in lock).toBe(true);
    if ("release" in lock) lock.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("is shared by the pools of one process and given back by the last of them", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const dir = poolDirOf(repo.dir);
    mkdirSync(join(repo.dir, ".git", "orchard"), { recursive: true });
    const first = takePoolLock(dir);
    const second = takePoolLock(dir);
    if (!("release" in first) || !("release" in second))
      throw new Error("both pools of this process hold it");
    first.release();
    expect(existsSync(`${dir}.lock`)).toBe(true);
    second.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("sends a run to a pool of its own while another process's run holds the default one, touching nothing there", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const busy = poolDirOf(repo.dir);
    mkdirSync(join(busy, "wt-1"), { recursive: true });
    // What the other run's agent is writing: start-up recovery of that pool would delete it.
    writeFileSync(join(busy, "wt-1", "work-in-progress.txt"), "half done\n");
    holdAs(busy, anotherProcess());
    const plan = "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n";
    const { result } = await runPlan(repo.dir, plan);
    expect(result.status).toBe("succeeded");
    expect(existsSync(join(busy, "wt-1", "work-in-progress.txt"))).toBe(true);
    expect(existsSync(join(`${busy}-2`, "wt-1"))).toBe(true);
    expect(existsSync(`${busy}-2.lock`)).toBe(false);
  });

  it("refuses a pool directory asked for by name while another process holds it", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const dir = join(repo.dir, "pool");
    const other = anotherProcess();
    holdAs(dir, other);
    const pool = new WorktreePool({ git: new Git(repo.dir), dir });
    await expect(pool.init()).rejects.toThrow(`the worktree pool ${dir} is in use by pid ${other}`);
  });
});
