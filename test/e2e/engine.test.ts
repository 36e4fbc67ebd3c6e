import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { benchPlan } from "../../src/bench/plan.js";
import { cancelRun, EventBus, openRepoStore, startRun } from "../../src/engine/index.js";
import { parsePlan } from "../../src/plan/index.js";
import { makeRepo, poolDirOf, snapshotCheckout, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, landedTaskIds, orchard, runPlan, showFile } from "../helpers/orchard.js";
import { cli } from "../integration/cli/helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});
async function repo(files?: Record<string, string>) {
  const r = await makeRepo(files ? { files } : {});
  repos.push(r);
  return r;
}

const twoTasksSameFile = `# Same line twice

## Batch 1: Edits

### Task 1.1: First edit
**Files:**
- Modify: \`shared.txt\`

Change line 1.

### Task 1.2: Second edit
**Files:**
- Modify: \`shared.txt\`

Change line 1 too.
`;

/** Each task rewrites line 1 of shared.txt with its own id: two such tasks conflict when merged. */
const editLineAgent = `node ${join(AGENT_FIXTURES, "edit-line.mjs")} shared.txt 1 "edited by {task_id}"`;

describe("engine", () => {
  it("re-runs a task on the new head when its merge conflicts, and lands it (file guard off)", async () => {
    const r = await repo({ "shared.txt": "original\nline 2\n", "README.md": "x\n" });
    const { result, events } = await runPlan(r.dir, twoTasksSameFile, {
      agent: "command",
      agentCommand: editLineAgent,
      workers: 2,
      fileGuard: false,
    });
    expect(result.status).toBe("succeeded");
    expect(events.some((e) => e.type === "task:conflict" && e.taskId === "1.2" && e.willRetry)).toBe(true);
    expect(await showFile(r.dir, result.integrationBranch, "shared.txt")).toBe("edited by 1.2\nline 2\n");
    expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual(["1.1", "1.2"]);
    const second = result.tasks.find((t) => t.taskId === "1.2")!;
    expect(second.conflictRetries).toBe(1);
  });

  it("with the file guard on, tasks naming the same file run one after the other and never conflict", async () => {
    const r = await repo({ "shared.txt": "original\n", "README.md": "x\n" });
    const { result, events } = await runPlan(r.dir, twoTasksSameFile, {
      agent: "command",
      agentCommand: editLineAgent,
      workers: 2,
    });
    expect(result.status).toBe("succeeded");
    expect(events.some((e) => e.type === "task:conflict")).toBe(false);
    const started12 = events.findIndex((e) => e.type === "task:started" && e.taskId === "1.2");
    const landed11 = events.findIndex((e) => e.type === "task:landed" && e.taskId === "1.1");
    expect(landed11).toBeGreaterThanOrEqual(0);
    expect(started12).toBeGreaterThan(landed11);
  });

  it("with --on-conflict fail, the conflicting task fails with the files named", async () => {
    const r = await repo({ "shared.txt": "original\n", "README.md": "x\n" });
    const { result } = await runPlan(r.dir, twoTasksSameFile, {
      agent: "command",
      agentCommand: editLineAgent,
      workers: 2,
      fileGuard: false,
      onConflict: "fail",
    });
    expect(result.status).toBe("failed");
    const failed = result.tasks.find((t) => t.status === "failed")!;
    expect(failed.reason).toMatch(/merge conflict in shared\.txt/);
  });

  it("kills a hung agent and its grandchild on the idle timeout, and says so", async () => {
    const r = await repo();
    const pidfile = join(r.dir, ".orchard-grandchild.pid");
    const plan = "## Batch 1: Hang\n\n### Task 1.1: Hang forever\n**Files:**\n- Create: `x.txt`\n\nHang.\n";
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `node ${join(AGENT_FIXTURES, "grandchild.mjs")} ${pidfile}`,
      idleTimeoutS: 1,
      maxAttempts: 1,
    });
    expect(result.status).toBe("failed");
    expect(result.tasks[0]?.reason).toMatch(/no output for 1 s|idle/);
    const pid = Number((await readFile(pidfile, "utf8")).trim());
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it("fails a task whose agent exits non-zero, with the agent's message, and skips its dependents", async () => {
    const r = await repo();
    const plan = `## Batch 1: One\n\n### Task 1.1: Broken\n**Files:**\n- Create: \`a.txt\`\n\nx\n\n## Batch 2: Two\n\n### Task 2.1: After\n**Files:**\n- Create: \`b.txt\`\n\ny\n`;
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `node ${join(AGENT_FIXTURES, "fail.mjs")} 3 "model said no"`,
      maxAttempts: 2,
    });
    expect(result.status).toBe("failed");
    const [t1, t2] = result.tasks;
    expect(t1?.status).toBe("failed");
    expect(t1?.reason).toMatch(/code 3/);
    expect(t1?.attempt).toBe(2);
    expect(t2?.status).toBe("skipped");
    expect(t2?.reason).toBe("depends on task 1.1, which failed");
    // The attempts went on without waiting for their logs' last writes; the run waited for them.
    for (const attempt of [1, 2]) {
      const log = await readFile(
        join(
          r.dir,
          ".git",
          "orchard",
          "runs",
          result.runId,
          "tasks",
          "1.1",
          `attempt-${attempt}`,
          "agent.log",
        ),
        "utf8",
      );
      expect(log).toContain("model said no");
      expect(log).toMatch(/# exit code 3 after \d+ ms\n$/);
    }
  });

  it("fails a task whose agent changes nothing, and one whose verification command fails", async () => {
    const r = await repo();
    const plan = `## Batch 1: B\n\n### Task 1.1: Does nothing\n**Files:**\n- Create: \`a.txt\`\n\nx\n\n### Task 1.2: Red check\n**Files:**\n- Create: \`b.txt\`\n\n**Verification:**\n- \`grep -q never-there b.txt\`\n`;
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `sh -c 'test "$ORCHARD_TASK_ID" = 1.1 || echo hi > b.txt'`,
      maxAttempts: 1,
    });
    const byId = Object.fromEntries(result.tasks.map((t) => [t.taskId, t]));
    expect(byId["1.1"]?.status).toBe("failed");
    expect(byId["1.1"]?.reason).toMatch(/changed nothing/);
    expect(byId["1.2"]?.status).toBe("failed");
    expect(byId["1.2"]?.reason).toMatch(/verification failed: `grep -q never-there b.txt`/);
  });

  it("keeps the task branch on the result when the agent leaves it for a branch of its own or a detached HEAD", async () => {
    const r = await repo();
    const task = (id: string) => `### Task ${id}: T${id}\n**Files:**\n- Create: \`f-${id}.txt\`\n\nx\n\n`;
    const plan = `## Batch 1: B\n\n${task("1.1")}${task("1.2")}${task("1.3")}`;
    // 1.1 commits on a branch of its own, 1.2 on a detached HEAD, 1.3 leaves its change on a detached
    // HEAD for Orchard to commit there.
    const agent = [
      `case $ORCHARD_TASK_ID in 1.1) git checkout -q -b agent-own;; *) git checkout -q --detach;; esac`,
      `echo x > f-$ORCHARD_TASK_ID.txt`,
      `{ test $ORCHARD_TASK_ID = 1.3 || { git add -A && git commit -qm agent; }; }`,
    ].join(" && ");
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `sh -c '${agent}'`,
      workers: 3,
      maxAttempts: 1,
    });
    expect(result.status).toBe("succeeded");
    for (const id of ["1.1", "1.2", "1.3"]) {
      const t = result.tasks.find((x) => x.taskId === id)!;
      expect(t.resultCommit).toMatch(/^[0-9a-f]{40}$/);
      const branch = (await r.git(["rev-parse", `refs/heads/orchard/${result.runId}/tasks/${id}`])).trim();
      expect(branch).toBe(t.resultCommit);
      expect(await showFile(r.dir, branch, `f-${id}.txt`)).toBe("x\n");
    }
    expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual(["1.1", "1.2", "1.3"]);
  });

  it("runs the setup command in each slot before its agent; what it leaves ignored stays warm for the next task", async () => {
    const r = await repo();
    const task = (id: string) => `### Task ${id}: T${id}\n**Files:**\n- Create: \`out-${id}.txt\`\n\nx\n\n`;
    const setup =
      'if test -f node_modules/ready; then echo "warm $ORCHARD_TASK_ID" >> node_modules/log; else mkdir -p node_modules && touch node_modules/ready && echo "cold $ORCHARD_TASK_ID" >> node_modules/log; fi';
    const { result } = await runPlan(r.dir, `## Batch 1: B\n\n${task("1.1")}${task("1.2")}`, {
      agent: "command",
      agentCommand: "sh -c 'test -f node_modules/ready && echo x > out-$ORCHARD_TASK_ID.txt'",
      workers: 1,
      slots: 1,
      setup,
    });
    expect(result.status).toBe("succeeded");
    expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual(["1.1", "1.2"]);
    const slot = join(poolDirOf(r.dir), "wt-1");
    expect(await readFile(join(slot, "node_modules", "log"), "utf8")).toBe("cold 1.1\nwarm 1.2\n");
    // Ignored, so not part of any task's commit.
    expect(await r.git(["ls-tree", "-r", "--name-only", result.integrationBranch])).not.toMatch(
      /node_modules/,
    );
  });

  it("fails an attempt whose setup command fails, before its agent starts, and says why", async () => {
    const r = await repo();
    const plan = "### Task 1: T\n**Files:**\n- Create: `out.txt`\n\nx\n";
    const store = await openRepoStore(r.dir);
    try {
      const handle = await startRun(
        {
          repo: r.dir,
          plan: parsePlan(plan, { source: "plan.md" }),
          options: {
            agent: "command",
            agentCommand: "sh -c 'echo x > out.txt'",
            maxAttempts: 1,
            setup: "echo no network >&2; exit 3",
          },
        },
        { store },
      );
      const result = await handle.done;
      expect(result.status).toBe("failed");
      expect(result.tasks[0]?.reason).toBe(
        "setup failed: `echo no network >&2; exit 3` exited with code 3: no network",
      );
      const [attempt] = await store.listAttempts(result.runId);
      expect(attempt?.timings?.setupMs).toBeGreaterThanOrEqual(0);
      expect(attempt?.timings?.spawnMs).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("gives each slot its environment and never runs in the user's checkout", async () => {
    const r = await repo();
    await r.write("uncommitted.txt", "mine\n");
    await r.git(["stash", "push", "-u", "-m", "user stash"]);
    await r.write("src/a.ts", "export const a = 42; // user's edit\n");
    const before = await snapshotCheckout(r.dir);
    const plan =
      "## Batch 1: Env\n\n### Task 1.1: Env\n**Files:**\n- Create: `env.txt`\n\nx\n\n### Task 1.2: Env too\n**Files:**\n- Create: `env2.txt`\n\ny\n";
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `sh -c 'env | grep ^ORCHARD_ | sort > env-$ORCHARD_TASK_ID.txt; pwd >> env-$ORCHARD_TASK_ID.txt'`,
      workers: 2,
    });
    expect(result.status).toBe("succeeded");
    const env = (await showFile(r.dir, result.integrationBranch, "env-1.1.txt"))!;
    expect(env).toMatch(/^ORCHARD_PORT_BASE=\d+$/m);
    expect(env).toMatch(new RegExp(`^ORCHARD_RUN_ID=${result.runId}$`, "m"));
    expect(env).toMatch(/^ORCHARD_SLOT=wt-\d+$/m);
    expect(env).toMatch(/^ORCHARD_TASK_ID=1\.1$/m);
    expect(env).toContain(`${poolDirOf(r.dir)}/wt-`);
    expect(await snapshotCheckout(r.dir)).toEqual(before);
  });

  it("cancels a running run: agents are killed, tasks cancelled, the checkout untouched", async () => {
    const r = await repo();
    const before = await snapshotCheckout(r.dir);
    const plan = parsePlan(
      "## Batch 1: Slow\n\n### Task 1.1: Slow\n**Files:**\n- Create: `a.txt`\n\nx\n\n### Task 1.2: Slow too\n**Files:**\n- Create: `b.txt`\n\ny\n",
    );
    const bus = new EventBus();
    const started = new Promise<void>((resolve) => bus.on((e) => e.type === "task:started" && resolve()));
    const handle = await startRun(
      {
        repo: r.dir,
        plan,
        options: { agent: "command", agentCommand: `node ${join(AGENT_FIXTURES, "hang.mjs")}`, workers: 2 },
      },
      { bus },
    );
    await started;
    // From another process, as a user would: a second SQLite connection in this thread could wait on
    // the run's own open transaction with a synchronous busy handler that the run cannot release.
    const cancel = await orchard(["cancel", handle.runId, "--json"], { cwd: r.dir });
    expect(cancel.exitCode).toBe(0);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ runId: handle.runId, outcome: "requested" });
    const result = await handle.done;
    expect(result.status).toBe("cancelled");
    expect(result.tasks.map((t) => t.status)).toEqual(["cancelled", "cancelled"]);
    expect(await snapshotCheckout(r.dir)).toEqual(before);
  });

  it("stops claiming once the run's spend limit is reached, and stays resumable", async () => {
    const r = await repo();
    const plan = [1, 2, 3]
      .map((i) => `### Task ${i}: T${i}\n**Files:**\n- Create: \`f${i}.txt\`\n\nx\n`)
      .join("\n");
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `sh -c 'echo x > f$ORCHARD_TASK_ID.txt; echo "{\\"orchard_usage\\": {\\"costUsd\\": 0.6}}"'`,
      workers: 1,
      maxCostUsd: 1,
    });
    expect(result.status).toBe("interrupted");
    expect(result.reason).toMatch(/spend limit/);
    const landed = result.tasks.filter((t) => t.status === "landed").length;
    expect(landed).toBe(2);
    expect(result.tasks.filter((t) => t.status === "queued" || t.status === "pending")).toHaveLength(1);

    // Nobody executes the interrupted run now: cancelling it finishes it at once.
    const store = await openRepoStore(r.dir);
    try {
      expect(await cancelRun(store, result.runId)).toBe("cancelled");
      expect((await store.getRun(result.runId))?.status).toBe("cancelled");
      expect((await store.listTasks(result.runId)).map((t) => t.status).sort()).toEqual([
        "cancelled",
        "landed",
        "landed",
      ]);
    } finally {
      await store.close();
    }
  });
});

describe("store trouble", () => {
  it("retries a coordinator look that failed and still lands every task", async () => {
    const r = await repo();
    const store = await openRepoStore(r.dir);
    let failuresLeft = 3;
    const flaky = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === "requeueExpired") {
          return (...args: unknown[]) => {
            if (failuresLeft-- > 0) return Promise.reject(new Error("database is locked"));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const bus = new EventBus();
    const errors: string[] = [];
    bus.on((e) => {
      if (e.type === "engine:error") errors.push(e.message);
    });
    const plan = parsePlan("### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n");
    const handle = await startRun(
      { repo: r.dir, plan, options: { agent: "command", agentCommand: "sh -c 'echo 1 > one.txt'" } },
      { store: flaky, bus },
    );
    const result = await handle.done;
    await store.close();
    expect(result.status).toBe("succeeded");
    expect(errors).toEqual(["database is locked", "database is locked", "database is locked"]);
  });
});

describe("starting agents", () => {
  it("claims for one worker at a time, each once the worker ahead has launched its agent, and the agents still run together", async () => {
    const r = await repo();
    const barrier = await mkdtemp(join(tmpdir(), "orchard-barrier-"));
    onTestFinished(() => rm(barrier, { recursive: true, force: true }));
    const store = await openRepoStore(r.dir);
    const order: string[] = [];
    const watched = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === "claimTask") {
          return (...args: unknown[]) => {
            order.push("claim");
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const bus = new EventBus();
    bus.on((e) => {
      if (e.type === "task:started") order.push("started");
    });
    // Each agent waits (up to a minute) until all four have started: agents run one at a time would fail.
    const agent = `sh -c 'touch ${barrier}/{task_id}; i=0; while [ $(ls ${barrier} | wc -l) -lt 4 ]; do i=$((i+1)); [ $i -gt 1200 ] && exit 1; sleep 0.05; done; echo {task_id} > out-{task_id}.txt'`;
    const handle = await startRun(
      { repo: r.dir, plan: benchPlan(4), options: { agent: "command", agentCommand: agent, workers: 4 } },
      { store: watched, bus },
    );
    const result = await handle.done;
    const attempts = await store.listAttempts(result.runId);
    await store.close();
    expect(result.status).toBe("succeeded");
    // Interleaved, the four claims would all be asked before the first task started.
    expect(order.slice(0, 8)).toEqual([
      "claim",
      "started",
      "claim",
      "started",
      "claim",
      "started",
      "claim",
      "started",
    ]);
    expect(attempts).toHaveLength(4);
    for (const a of attempts) expect(a.timings?.laneMs).toBeGreaterThanOrEqual(0);
  });
});

describe("integration branch", () => {
  it("refuses to land on an integration branch someone else moved, naming it, and never rewrites it", async () => {
    const r = await repo();
    const bus = new EventBus();
    const plan = parsePlan("### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n");
    const other = (
      await r.git(["commit-tree", "-p", r.head, "-m", "someone else", `${r.head}^{tree}`])
    ).trim();
    let branch = "";
    bus.on((e) => {
      // While the agent runs, someone moves the integration branch.
      if (e.type === "task:started") void r.git(["update-ref", `refs/heads/${branch}`, other]);
    });
    const handle = await startRun(
      {
        repo: r.dir,
        plan,
        options: { agent: "command", agentCommand: "sh -c 'sleep 0.3; echo 1 > one.txt'", maxAttempts: 1 },
      },
      { bus },
    );
    branch = `orchard/${handle.runId}/integration`;
    const result = await handle.done;
    expect(result.status).toBe("failed");
    expect(result.tasks[0]?.reason).toMatch(/moved outside Orchard/);
    expect((await r.git(["rev-parse", branch])).trim()).toBe(other);
  });
});

describe("plan options", () => {
  it("runs a task with the agent its plan names, the others with the run's agent", async () => {
    const r = await repo();
    const plan = `## Batch 1: Mixed

### Task 1.1: By command
**Files:**
- Create: \`by-command.txt\`

x

### Task 1.2: By the scripted agent
**Agent:** scripted
**Files:**
- Create: \`scripted.txt\`

Create \`scripted.txt\` with content: "from the scripted agent"
`;
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: "sh -c 'echo cmd > by-command.txt'",
    });
    expect(result.status).toBe("succeeded");
    expect(await showFile(r.dir, result.integrationBranch, "by-command.txt")).toBe("cmd\n");
    expect(await showFile(r.dir, result.integrationBranch, "scripted.txt")).toBe("from the scripted agent\n");
  });

  it("refuses an unknown agent named in the plan before anything runs", async () => {
    const r = await repo();
    const plan = "### Task 1: T\n**Agent:** nobody\n**Files:**\n- Create: `a.txt`\n\nx\n";
    await expect(runPlan(r.dir, plan)).rejects.toThrow(/nobody/);
    expect((await r.git(["for-each-ref", "refs/heads/orchard/"])).trim()).toBe("");
  });

  it("refuses an agent whose program is not installed before anything is recorded, on start and on resume", async () => {
    const r = await repo();
    const plan =
      "### Task 1: T\n**Files:**\n- Create: `a.txt`\n\nx\n\n### Task 2: U\n**Files:**\n- Create: `b.txt`\n\nx\n";
    await expect(
      runPlan(r.dir, plan, { agent: "command", agentCommand: "orchard-missing-agent-zz {prompt_file}" }),
    ).rejects.toThrow("the agent program `orchard-missing-agent-zz` was not found on PATH");
    const saved = process.env.ORCHARD_CODEX_BIN;
    process.env.ORCHARD_CODEX_BIN = join(r.dir, "no-codex-here");
    try {
      await expect(runPlan(r.dir, plan, { agent: "codex" })).rejects.toThrow(
        `the codex agent's CLI is not installed: ORCHARD_CODEX_BIN points at \`${join(r.dir, "no-codex-here")}\``,
      );
    } finally {
      if (saved === undefined) delete process.env.ORCHARD_CODEX_BIN;
      else process.env.ORCHARD_CODEX_BIN = saved;
    }
    expect((await r.git(["for-each-ref", "refs/heads/orchard/"])).trim()).toBe("");
    const store = await openRepoStore(r.dir);
    try {
      expect(await store.listRuns()).toEqual([]);
    } finally {
      await store.close();
    }

    // Task 2 fails; resumed with an agent that is not installed, the run is refused and stays as it was.
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `sh -c 'test "$ORCHARD_TASK_ID" = 2 || echo x > a.txt'`,
      maxAttempts: 1,
    });
    expect(result.status).toBe("failed");
    const before = await cli(r.dir, ["status", result.runId, "--json"]);
    await cli(r.dir, ["retry", result.runId, "2"]);
    const queued = await cli(r.dir, ["status", result.runId, "--json"]);
    expect(queued.stdout).not.toBe(before.stdout);
    const resumed = await cli(r.dir, ["resume", result.runId, "--agent-command", "orchard-missing-agent-zz"]);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("the agent program `orchard-missing-agent-zz` was not found on PATH");
    expect((await cli(r.dir, ["status", result.runId, "--json"])).stdout).toBe(queued.stdout);
  });

  it("--start-batch/--end-batch run only the chosen batches; the others count as done", async () => {
    const r = await repo();
    const plan = `## Batch 1: One
### Task 1.1: A
**Files:**
- Create: \`a.txt\`

x

## Batch 2: Two
**Dependencies:** Batch 1
### Task 2.1: B
**Files:**
- Create: \`b.txt\`

x

## Batch 3: Three
**Dependencies:** Batch 2
### Task 3.1: C
**Files:**
- Create: \`c.txt\`

x
`;
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: "sh -c 'echo x > out-$ORCHARD_TASK_ID.txt'",
      startBatch: 2,
      endBatch: 2,
    });
    expect(result.status).toBe("succeeded");
    expect(result.tasks.map((t) => [t.taskId, t.status, t.reason])).toEqual([
      ["1.1", "skipped", "before --start-batch 2"],
      ["2.1", "landed", null],
      ["3.1", "skipped", "after --end-batch 2"],
    ]);
    expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual(["2.1"]);
  });

  it("refuses a batch range that selects no batch, before anything is recorded", async () => {
    const r = await repo();
    const plan = parsePlan(
      "## Batch 1: One\n### Task 1.1: A\n**Files:**\n- Create: `a.txt`\n\nx\n\n## Batch 2: Two\n### Task 2.1: B\n**Files:**\n- Create: `b.txt`\n\nx\n",
      { source: "plan.md" },
    );
    const store = await openRepoStore(r.dir);
    try {
      const start = (startBatch?: number, endBatch?: number) =>
        startRun(
          {
            repo: r.dir,
            plan,
            options: {
              agent: "command",
              agentCommand: "true",
              ...(startBatch === undefined ? {} : { startBatch }),
              ...(endBatch === undefined ? {} : { endBatch }),
            },
          },
          { store },
        );
      await expect(start(3)).rejects.toThrow(
        "--start-batch 3 selects no batch of the plan: its batches are numbered 1 to 2",
      );
      await expect(start(2, 1)).rejects.toThrow("--start-batch 2 is after --end-batch 1");
      expect(await store.listRuns()).toEqual([]);
      expect((await r.git(["for-each-ref", "refs/heads/orchard/"])).trim()).toBe("");
    } finally {
      await store.close();
    }
  });
});

describe("--into", () => {
  const plan = "### Task 1: One\n**Files:**\n- Create: `one.txt`\n\nx\n";
  const agent = "sh -c 'echo one > one.txt'";

  it("fast-forwards a branch that has not moved to the integration result", async () => {
    const r = await repo();
    await r.git(["branch", "release"]);
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: agent,
      into: "release",
    });
    expect(result.into).toMatchObject({ branch: "release", updated: true });
    expect((await r.git(["rev-parse", "release"])).trim()).toBe(result.integrationHead);
  });

  it("leaves a checked-out branch alone and says how to merge it", async () => {
    const r = await repo();
    const before = await snapshotCheckout(r.dir);
    const { result } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: agent,
      into: "main",
    });
    expect(result.into).toMatchObject({ branch: "main", updated: false });
    expect(result.into?.message).toMatch(/checked out .*git merge --ff-only/);
    expect(await snapshotCheckout(r.dir)).toEqual(before);
  });
});

describe("rate limits", () => {
  it("backs a rate-limited attempt off and retries it later without spending the attempt budget", async () => {
    const r = await repo();
    const marker = join(r.dir, ".orchard-rate-limited-once");
    // First run: reports a rate limit and fails; later runs: do the work.
    const script = `if [ ! -e ${marker} ]; then touch ${marker}; echo '{"orchard_report": {"status": "error", "error": "429 rate_limit_error", "rateLimited": true, "retryAfterMs": 300}}'; exit 1; fi; echo done > out.txt`;
    const plan = "### Task 1: Busy model\n**Files:**\n- Create: `out.txt`\n\nWrite it.\n";
    const { result, events } = await runPlan(r.dir, plan, {
      agent: "command",
      agentCommand: `sh -c '${script.replace(/'/g, "'\\''")}'`,
      maxAttempts: 1,
    });
    expect(result.status).toBe("succeeded");
    const failed = events.find((e) => e.type === "task:attempt-failed");
    expect(failed).toMatchObject({ rateLimited: true, willRetry: true });
    expect(result.tasks[0]?.attempt).toBe(2);
    expect(await showFile(r.dir, result.integrationBranch, "out.txt")).toBe("done\n");
  });
});

/** Dead or a zombie waiting for PID 1 to reap it (it is not running either way). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      if (/^\d+ \(.*\) Z/.test(stat)) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
