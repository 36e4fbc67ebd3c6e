import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  cancelRun,
  EventBus,
  openRepoStore,
  resumeRun,
  retryTask,
  startRun,
} from "../../../src/engine/index.js";
import { parsePlan } from "../../../src/plan/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES, landedTaskIds } from "../../helpers/orchard.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

const plan = `# Two

## Batch 1: One

### Task 1.1: A
**Files:**
- Create: \`out-1.1.txt\`

x

## Batch 2: Two

### Task 2.1: B
**Files:**
- Create: \`out-2.1.txt\`

x
`;
const slow = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 30000 out-{task_id}.txt`;
const fast = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1 out-{task_id}.txt`;

/** A run stopped while its first task runs, then cancelled with nobody driving it. */
async function cancelledRun(): Promise<{ repo: TestRepo; runId: string }> {
  const repo = await makeRepo();
  repos.push(repo);
  const bus = new EventBus();
  const started = new Promise<void>((resolve) =>
    bus.on((e) => {
      if (e.type === "task:started") resolve();
    }),
  );
  const handle = await startRun(
    {
      repo: repo.dir,
      plan: parsePlan(plan, { source: "plan.md" }),
      options: { agent: "command", agentCommand: slow },
    },
    { bus },
  );
  await started;
  handle.kill();
  await handle.done;
  const store = await openRepoStore(repo.dir);
  try {
    expect(await cancelRun(store, handle.runId)).toBe("cancelled");
    expect((await store.getRun(handle.runId as never))?.status).toBe("cancelled");
  } finally {
    await store.close();
  }
  return { repo, runId: handle.runId };
}

/** Issue 20 item 5: a cancelled run can be finished. */
describe("a cancelled run", () => {
  it("is re-opened by resume, which runs its cancelled tasks to the end", async () => {
    const { repo, runId } = await cancelledRun();
    const resumed = await resumeRun({ repo: repo.dir, runId, options: { agentCommand: fast } });
    const result = await resumed.done;
    expect(result.status).toBe("succeeded");
    expect(result.tasks.map((t) => t.status)).toEqual(["landed", "landed"]);
    expect(await landedTaskIds(repo.dir, result.integrationBranch)).toEqual(["1.1", "2.1"]);
  });

  it("retry re-opens a task of it and resume then runs that task", async () => {
    const { repo, runId } = await cancelledRun();
    const store = await openRepoStore(repo.dir);
    try {
      expect(await retryTask(store, runId, "1.1")).toEqual(["1.1"]);
    } finally {
      await store.close();
    }
    const resumed = await resumeRun({ repo: repo.dir, runId, options: { agentCommand: fast } });
    const result = await resumed.done;
    const task = result.tasks.find((t) => t.taskId === "1.1")!;
    expect(task.status).toBe("landed");
    expect(await landedTaskIds(repo.dir, result.integrationBranch)).toContain("1.1");
  });
});
