import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { AGENT_FIXTURES, landedTaskIds, ORCHARD_BIN } from "../helpers/orchard.js";
import { Client, waitFor } from "../helpers/server.js";

/**
 * `orchard serve` as a real process: 20 clients poll an execution's status while it runs; the server is
 * SIGKILLed mid-run, started again, and the run resumed through the API lands every task exactly once.
 */
const TASKS = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1"];
const task = (id: string) =>
  `### Task ${id}: Make ${id}\n**Files:**\n- Create: \`out-${id}.txt\`\n\nWrite it.\n`;
const PLAN = `# Served

## Batch 1: First
${TASKS.filter((t) => t.startsWith("1."))
  .map(task)
  .join("\n")}
## Batch 2: Second
**Dependencies:** Batch 1

${TASKS.filter((t) => t.startsWith("2."))
  .map(task)
  .join("\n")}
## Batch 3: Third
**Dependencies:** Batch 2

${task("3.1")}`;

const children: ResultPromise[] = [];
const repos: TestRepo[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const r of repos.splice(0)) await r.cleanup();
});

/** Starts `orchard serve` and waits for its `listening on` line; returns the process, its URL and its output. */
async function serve(repo: string) {
  const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 300 out-{task_id}.txt`;
  const child = execa(ORCHARD_BIN, ["serve", "--port", "0", "--workers", "3", "--agent-command", agent], {
    cwd: repo,
    reject: false,
    stdin: "ignore",
    env: { ORCHARD_DEBUG: "1" },
  });
  children.push(child);
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.then((r) => reject(new Error(`serve exited ${r.exitCode}: ${r.stderr}`)));
  });
  return { child, url, output: () => out };
}

describe("orchard serve, killed and restarted", () => {
  it("20 clients poll while it runs; after a SIGKILL the run resumes through the API and lands each task once", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", PLAN);
    await repo.commit("plan");

    const first = await serve(repo.dir);
    const api = new Client(first.url);
    const start = await api.post("/api/v1/autonomous/start", {
      plan_path: "plan.md",
      execution_mode: "parallel",
    });
    expect(start.body.batches_scheduled).toEqual([1, 2, 3]);
    const id = start.body.execution_id as string;

    // 20 pollers, as the original's frontends and scripts were; each answer is a well-formed status.
    let polling = true;
    const answers: number[] = [];
    const pollers = Array.from({ length: 20 }, async () => {
      const client = new Client(first.url);
      while (polling) {
        const r = await client.get(`/api/v1/autonomous/${id}/status`).catch(() => null);
        if (!r) return; // the server is gone
        answers.push(r.status);
        expect(["started", "executing"]).toContain(r.body.status);
        await new Promise((res) => setTimeout(res, 20));
      }
    });
    await waitFor("two tasks landed", async () => {
      const r = await api.get(`/api/v1/autonomous/${id}/status`);
      return r.body.tasks_completed >= 2 ? true : undefined;
    });
    first.child.kill("SIGKILL");
    polling = false;
    await Promise.all(pollers);
    await first.child;
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.every((s) => s === 200)).toBe(true);

    const second = await serve(repo.dir);
    await waitFor("the unfinished run listed", async () =>
      second.output().includes(`unfinished run ${id}`) ? true : undefined,
    );
    const api2 = new Client(second.url);
    expect((await api2.get(`/api/v1/autonomous/${id}/status`)).body.status).toBe("interrupted");
    const resumed = await api2.post(`/api/runs/${id}/resume`);
    expect([resumed.status, resumed.body]).toEqual([202, { id, status: "running" }]);
    const final = await waitFor(
      "the resumed run to finish",
      async () => {
        const r = await api2.get(`/api/v1/autonomous/${id}/status`);
        return ["complete", "failed"].includes(r.body.status) ? r.body : undefined;
      },
      // Up to the integration lock's 120 s: a server killed while landing still holds it (engine/integrator.ts).
      200_000,
    );
    expect(final).toMatchObject({ status: "complete", tasks_completed: 8, tasks_total: 8, tasks_failed: 0 });
    const landed = await landedTaskIds(repo.dir, `orchard/${id}/integration`);
    expect([...landed].sort()).toEqual([...TASKS].sort());
    expect(new Set(landed).size).toBe(landed.length);

    // SIGTERM: the server stops and exits 0.
    second.child.kill("SIGTERM");
    const exit = await second.child;
    expect(exit.exitCode, exit.stderr).toBe(0);
    const fsck = await execa("git", ["fsck", "--no-progress"], { cwd: repo.dir, reject: false });
    expect(fsck.exitCode, fsck.stderr).toBe(0);
  }, 300_000);
});
