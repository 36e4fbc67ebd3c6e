import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES, orchard } from "../../helpers/orchard.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/postgres.js";

/** Issue 25 item 2 (part): `orchard status` shows the processes working on a run in a shared store. */
let db: TestDatabase;
let repo: TestRepo;
beforeAll(async () => {
  db = await createTestDatabase();
  repo = await makeRepo();
});
afterAll(async () => {
  await repo?.cleanup();
  await db?.drop();
});

interface WorkerView {
  id: string;
  host: string;
  pid: number;
  live: boolean;
  tasks: string[];
}

describe("status of a running run in PostgreSQL", () => {
  it("lists its live workers with host, pid, heartbeat and current tasks", async () => {
    await repo.write(
      "plan.md",
      "### Task 1: One\n**Files:**\n- Create: `out-1.txt`\n\nx\n\n### Task 2: Two\n**Files:**\n- Create: `out-2.txt`\n\nx\n",
    );
    await repo.git(["add", "plan.md"]);
    await repo.git(["commit", "-qm", "plan"]);
    const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 60000 out-{task_id}.txt`;
    const run = orchard(["run", "plan.md", "--store", db.url(), "--workers", "1", "--agent-command", agent], {
      cwd: repo.dir,
    });
    try {
      let workers: WorkerView[] = [];
      let text = "";
      for (let i = 0; i < 100; i++) {
        const runs = await db.query<{ id: string }>("select id from orchard.runs").catch(() => []);
        const runId = runs[0]?.id;
        if (runId !== undefined) {
          const json = await orchard(["status", runId, "--json", "--store", db.url()], { cwd: repo.dir });
          workers = (JSON.parse(json.stdout).workers ?? []) as WorkerView[];
          if (workers.some((w) => w.live && w.tasks.length > 0)) {
            text = (await orchard(["status", runId, "--store", db.url()], { cwd: repo.dir })).stdout;
            break;
          }
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const busy = workers.filter((w) => w.live && w.tasks.length > 0);
      expect(busy).toHaveLength(1);
      expect(busy[0]?.tasks).toEqual(["1"]);
      for (const w of busy) {
        expect(w.host).toBe(hostname());
        expect(w.pid).toBe(run.pid);
      }
      expect(text).toMatch(/workers \(1 live of 1\):/);
      expect(text).toMatch(new RegExp(`${hostname()} +${run.pid} +[0-9.]+ m?s ago +1\n`));
    } finally {
      run.kill("SIGKILL");
      await run;
    }
  });
});
