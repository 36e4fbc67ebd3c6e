import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../src/server/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES, orchard } from "../../helpers/orchard.js";
import { Client, checkAgainstOpenApi, serveRepo, waitFor } from "../../helpers/server.js";
import { ONE_FAILS, TWO_BATCHES } from "./plans.js";

/** `/api/runs…`: real HTTP, the real engine, scripted and command agents. */
let repo: TestRepo;
let server: RunningServer;
let api: Client;
const everything: Client["seen"] = [];

beforeEach(async () => {
  repo = await makeRepo();
  await repo.write("plans/two.md", TWO_BATCHES);
  await repo.write("plans/fails.md", ONE_FAILS);
  await repo.write("plans/broken.md", "## Batch 1: B\n\n### Task 1.1: A\nx\n\n### Task 1.1: again\ny\n");
  await repo.commit("plans");
  server = await serveRepo(repo.dir);
  api = new Client(server.url);
});

afterEach(async () => {
  everything.push(...api.seen);
  await server.close();
  await repo.cleanup();
});

afterAll(async () => {
  const other = await makeRepo();
  const fresh = await serveRepo(other.dir);
  const doc = (await new Client(fresh.url).get("/openapi.json")).body;
  await fresh.close();
  await other.cleanup();
  expect(checkAgainstOpenApi(doc, everything)).toEqual([]);
});

const finished = (id: string) =>
  waitFor(`run ${id} to finish`, async () => {
    const r = await api.get(`/api/runs/${id}`);
    return ["succeeded", "failed", "cancelled"].includes(r.body.status) && !r.body.live ? r.body : undefined;
  });

describe("/api/runs", () => {
  it("starts a run from a plan file, lists it, shows its batches, tasks, attempts, logs and diffs", async () => {
    const started = await api.post("/api/runs", { planPath: "plans/two.md", options: { agent: "scripted" } });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const run = await finished(id);
    expect(run).toMatchObject({
      id,
      status: "succeeded",
      integrationBranch: `orchard/${id}/integration`,
      integrationHead: expect.stringMatching(/^[0-9a-f]{40}$/),
      counts: { landed: 3 },
      costUsd: 0,
    });
    expect(run.batches.map((b: { batchId: string }) => b.batchId)).toEqual(["1", "2"]);
    expect(run.tasks.map((t: { attempts: unknown[] }) => t.attempts.length)).toEqual([1, 1, 1]);
    expect(run.options.agent).toBe("scripted");

    const list = await api.get("/api/runs?status=succeeded&limit=10");
    expect(list.body).toMatchObject({ total: 1, runs: [{ id, status: "succeeded", tasks: 3, landed: 3 }] });
    expect((await api.get("/api/runs?status=failed")).body).toEqual({ runs: [], total: 0 });
    expect((await api.get("/api/runs?offset=1")).body.runs).toEqual([]);

    const task = await api.get(`/api/runs/${id}/tasks/2.1`);
    expect(task.body).toMatchObject({
      taskId: "2.1",
      status: "landed",
      attempts: [{ attempt: 1, status: "succeeded" }],
    });

    const log = await api.get(`/api/runs/${id}/tasks/1.1/log`);
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({ taskId: "1.1", attempt: 1, kind: "agent" });
    expect(log.body.text.length).toBeGreaterThan(0);
    expect(log.body.size).toBe(Buffer.byteLength(log.body.text));
    const tail = await api.get(`/api/runs/${id}/tasks/1.1/log?tail=1`);
    expect(tail.body.text).toBe(`${log.body.text.trimEnd().split("\n").at(-1)}\n`);
    const bytes = await api.get(`/api/runs/${id}/tasks/1.1/log?start=2&end=7`);
    expect(bytes.body).toMatchObject({
      start: 2,
      end: 7,
      text: Buffer.from(log.body.text).subarray(2, 7).toString(),
    });
    const ranged = await api.get(`/api/runs/${id}/tasks/1.1/log`, { range: "bytes=0-3" });
    expect(ranged.status).toBe(206);
    expect(ranged.body.text).toBe(Buffer.from(log.body.text).subarray(0, 4).toString());
    const noSetup = await api.get(`/api/runs/${id}/tasks/1.1/log?kind=setup`);
    expect(noSetup.body.text).toBe("");

    const diff = await api.get(`/api/runs/${id}/tasks/1.2/diff`);
    expect(diff.body.diff).toContain("+++ b/b.txt");
    expect(diff.body.commit).toBe(run.tasks[1].resultCommit);
  });

  it("starts a run from the plan's markdown in the body, with a command agent", async () => {
    const plan = "### Task 1: Sleep\n**Files:**\n- Create: `slept.txt`\n\nSleep.\n";
    const started = await api.post("/api/runs", {
      planMarkdown: plan,
      options: { agentCommand: `node ${AGENT_FIXTURES}/sleep.mjs 50 slept.txt` },
    });
    expect(started.status).toBe(202);
    const run = await finished(started.body.id);
    expect(run).toMatchObject({ status: "succeeded", planPath: "plan.md", options: { agent: "command" } });
  });

  it("retries a failed task and resumes the run; cancels a run", async () => {
    const started = await api.post("/api/runs", {
      planPath: "plans/fails.md",
      options: { agent: "scripted" },
    });
    const id = started.body.id as string;
    expect(await finished(id)).toMatchObject({ status: "failed" });
    const retry = await api.post(`/api/runs/${id}/tasks/1.2/retry`, { resume: false });
    expect(retry.body).toEqual({ id, reset: ["1.2"], resumed: false });
    const again = await api.post(`/api/runs/${id}/tasks/1.2/retry`);
    expect([again.status, again.body.error.code]).toEqual([400, "USAGE"]);
    const resumed = await api.post(`/api/runs/${id}/resume`);
    expect([resumed.status, resumed.body]).toEqual([202, { id, status: "running" }]);
    const after = await finished(id);
    const retried = after.tasks.find((t: { taskId: string }) => t.taskId === "1.2");
    expect(retried.attempts.length).toBeGreaterThan(1);
    expect(after.tasks.find((t: { taskId: string }) => t.taskId === "1.1").attempts).toHaveLength(1);

    const finishedAlready = await api.post(`/api/runs/${id}/cancel`);
    expect([finishedAlready.status, finishedAlready.body.error.code]).toEqual([409, "RUN_FINISHED"]);

    const slow = await api.post("/api/runs", {
      planMarkdown: "### Task 1: Slow\n**Files:**\n- Create: `s.txt`\n\nSleep.\n",
      options: { agentCommand: `node ${AGENT_FIXTURES}/sleep.mjs 30000 s.txt` },
    });
    await waitFor("the agent to start", async () => {
      const t = await api.get(`/api/runs/${slow.body.id}/tasks/1`);
      return t.body.status === "running" ? true : undefined;
    });
    const cancel = await api.post(`/api/runs/${slow.body.id}/cancel`);
    expect(cancel.body).toEqual({ id: slow.body.id, outcome: "requested" });
    expect(await finished(slow.body.id)).toMatchObject({ status: "cancelled" });
  });

  it("checks a plan as `plan check --json` does", async () => {
    const ok = await api.get("/api/plans/check?path=plans/two.md");
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.graph.waves).toEqual([["1.1", "1.2"], ["2.1"]]);
    const bad = await api.get("/api/plans/check?path=plans/broken.md");
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      ok: false,
      error: { code: "PLAN_DUPLICATE_TASK", file: "plans/broken.md", line: 6 },
    });
    const outside = await api.get("/api/plans/check?path=../x.md");
    expect([outside.status, outside.body.error.code]).toEqual([403, "PATH_OUTSIDE_ROOTS"]);
  });

  it("answers every error as {error: {code, message}} with a status that means it", async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ["GET", "/api/runs/exec_nope", undefined, 404, "RUN_NOT_FOUND"],
      ["GET", "/api/runs?status=bogus", undefined, 422, "REQUEST_INVALID"],
      ["GET", "/api/runs?limit=0", undefined, 422, "REQUEST_INVALID"],
      ["POST", "/api/runs", { options: { agent: "scripted" } }, 422, "REQUEST_INVALID"],
      ["POST", "/api/runs", { planPath: "plans/two.md", planMarkdown: "x" }, 422, "REQUEST_INVALID"],
      [
        "POST",
        "/api/runs",
        { planPath: "plans/two.md", options: { workers: "many" } },
        422,
        "REQUEST_INVALID",
      ],
      ["POST", "/api/runs", { planPath: "plans/two.md", options: { bogus: 1 } }, 422, "REQUEST_INVALID"],
      ["POST", "/api/runs", { planPath: "plans/none.md", options: { agent: "scripted" } }, 400, "USAGE"],
      [
        "POST",
        "/api/runs",
        { planPath: "plans/broken.md", options: { agent: "scripted" } },
        422,
        "PLAN_INVALID",
      ],
      [
        "POST",
        "/api/runs",
        { planPath: "/etc/hosts", options: { agent: "scripted" } },
        403,
        "PATH_OUTSIDE_ROOTS",
      ],
      ["POST", "/api/runs", { planPath: "plans/two.md", options: { agent: "nope" } }, 422, "AGENT_UNKNOWN"],
      ["POST", "/api/runs/exec_nope/resume", undefined, 404, "RUN_NOT_FOUND"],
      ["POST", "/api/runs/exec_nope/cancel", undefined, 404, "RUN_NOT_FOUND"],
      ["GET", "/api/runs/exec_nope/tasks/1.1", undefined, 404, "RUN_NOT_FOUND"],
      ["GET", "/api/nothing-here", undefined, 404, "NOT_FOUND"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await api.request(method, path, body ?? (method === "POST" ? {} : undefined));
      expect([method, path, r.status, r.body.error?.code]).toEqual([method, path, status, code]);
      expect(typeof r.body.error.message).toBe("string");
      expect(r.text).not.toMatch(/\bat .*\.ts:\d+/); // no stack
    }
    const big = await api.post("/api/runs", {
      planMarkdown: "x".repeat(100 * 1024),
      options: { agent: "scripted" },
    });
    expect([big.status, big.body.error.code]).toEqual([413, "BODY_TOO_LARGE"]);
    // A server started without --agent: a run must name its own.
    const bare = await serveRepo(repo.dir, { runOptions: {} });
    try {
      const unnamed = await new Client(bare.url).post("/api/runs", { planPath: "plans/two.md" });
      expect([unnamed.status, unnamed.body.error.code]).toEqual([400, "USAGE"]);
      expect(unnamed.body.error.message).toMatch(/agent/);
    } finally {
      await bare.close();
    }
    expect((await api.get("/api/runs")).body.total).toBe(0);
  });

  it("shutting down lets running attempts finish and leaves the run interrupted, resumable; the CLI sees it", async () => {
    const plan = ["1", "2", "3"]
      .map((n) => `### Task ${n}: Slow ${n}\n**Files:**\n- Create: \`s-${n}.txt\`\n\nSleep.\n`)
      .join("\n");
    const started = await api.post("/api/runs", {
      planMarkdown: plan,
      options: { agentCommand: `node ${AGENT_FIXTURES}/sleep.mjs 1500 s-{task_id}.txt` },
    });
    const id = started.body.id as string;
    await waitFor("the first agent", async () => {
      const t = await api.get(`/api/runs/${id}/tasks/1`);
      return t.body.status === "running" ? true : undefined;
    });
    await server.close();
    server = await serveRepo(repo.dir);
    api = new Client(server.url);
    expect(server.unfinished.map((r) => r.id)).toEqual([id]);
    const stopped = await api.get(`/api/runs/${id}`);
    expect(stopped.body.status).toBe("interrupted");
    // The attempt under way when the server stopped finished and landed; nothing after it started.
    expect(stopped.body.tasks.map((t: { status: string }) => t.status)).toEqual([
      "landed",
      "pending",
      "pending",
    ]);

    const cli = await orchard(["status", "--json"], { cwd: repo.dir });
    expect(JSON.parse(cli.stdout).map((r: { id: string }) => r.id)).toContain(id);

    expect((await api.post(`/api/runs/${id}/resume`)).status).toBe(202);
    const again = await api.post(`/api/runs/${id}/resume`);
    expect([again.status, again.body.error.code]).toEqual([409, "RUN_BUSY"]);
    expect(await finished(id)).toMatchObject({ status: "succeeded", counts: { landed: 3 } });
  });
});
