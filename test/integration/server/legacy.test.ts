import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../src/server/index.js";
import type { RunId } from "../../../src/store/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { landedTaskIds } from "../../helpers/orchard.js";
import { Client, checkAgainstOpenApi, serveRepo, waitFor } from "../../helpers/server.js";
import { ONE_FAILS, TWO_BATCHES } from "./plans.js";

/** The original service's routes, driven the way its scripts drove them, over real HTTP. */
let repo: TestRepo;
let server: RunningServer;
let api: Client;
const everything: Client["seen"] = [];

beforeEach(async () => {
  repo = await makeRepo();
  await repo.write("plans/two.md", TWO_BATCHES);
  await repo.write("plans/fails.md", ONE_FAILS);
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
  // Every response these tests saw has the shape the server's OpenAPI document declares for it.
  const fresh = await serveRepo((await makeRepo()).dir);
  const doc = (await new Client(fresh.url).get("/openapi.json")).body;
  await fresh.close();
  expect(checkAgainstOpenApi(doc, everything)).toEqual([]);
});

const untilFinished = async (id: string, seen: Array<{ status: string; current_batch: number | null }>) =>
  waitFor("the execution to finish", async () => {
    const r = await api.get(`/api/v1/autonomous/${id}/status`);
    expect(r.status).toBe(200);
    seen.push(r.body);
    return ["complete", "failed", "cancelled"].includes(r.body.status) ? r.body : undefined;
  });

describe("the original flow", () => {
  it("start → poll status until complete → batches → one task", async () => {
    expect((await api.get("/health")).text).toBe('{"status":"healthy"}');
    const root = await api.get("/");
    expect(root.body).toEqual({ name: "orchard", version: "0.0.0-test", status: "running" });

    // The original's defaults: batches 1 to 6, local mode, auto_merge.
    const start = await api.post("/api/v1/autonomous/start", { plan_path: "plans/two.md" });
    expect(start.status).toBe(200);
    expect(start.body).toEqual({
      execution_id: expect.stringMatching(/^exec_/),
      status: "started",
      // The batches that exist in 1..6, not 1..6 (the original echoed the range).
      batches_scheduled: [1, 2],
    });
    const id = start.body.execution_id as string;

    const seen: Array<{ status: string; current_batch: number | null }> = [];
    const final = await untilFinished(id, seen);
    expect(final).toMatchObject({
      execution_id: id,
      status: "complete",
      current_batch: 2,
      total_batches: 2,
      tasks_completed: 3,
      tasks_total: 3,
      tasks_failed: 0,
      active_prs: [],
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      completed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // current_batch moves with the run (the original's stayed at its first value).
    const batchesSeen = seen.map((s) => s.current_batch);
    expect(batchesSeen).toContain(1);
    expect(batchesSeen).toEqual([...batchesSeen].sort());
    expect(seen.every((s) => ["started", "executing", "complete"].includes(s.status))).toBe(true);

    const batches = await api.get(`/api/v1/autonomous/${id}/batches`);
    expect(batches.body.map((b: { batch_number: number }) => b.batch_number)).toEqual([1, 2]);
    expect(batches.body.map((b: { status: string }) => b.status)).toEqual(["complete", "complete"]);
    expect(batches.body[0].tasks.map((t: { task_number: string }) => t.task_number)).toEqual(["1.1", "1.2"]);
    for (const b of batches.body) {
      expect(Object.keys(b).sort()).toEqual(
        ["batch_number", "completed_at", "id", "started_at", "status", "tasks"].sort(),
      );
    }

    const task = await api.get(`/api/v1/autonomous/${id}/tasks/1.2`);
    expect(task.status).toBe(200);
    expect(task.body).toEqual({
      id: expect.any(String),
      task_number: "1.2",
      task_title: "Make b.txt",
      branch_name: `orchard/${id}/tasks/1.2`,
      pr_number: null,
      pr_url: null,
      status: "merged",
      commits: [expect.stringMatching(/^[0-9a-f]{40}$/)],
      started_at: expect.any(String),
      completed_at: expect.any(String),
      error: null,
    });
    const commit = task.body.commits[0] as string;
    expect((await repo.git(["cat-file", "-t", commit])).trim()).toBe("commit");
    expect(await landedTaskIds(repo.dir, `orchard/${id}/integration`)).toEqual(["1.1", "1.2", "2.1"]);
  });

  it("shows a task's pull request: pr_created while it is open, merged once GitHub merged it", async () => {
    const start = await api.post("/api/v1/autonomous/start", { plan_path: "plans/two.md" });
    const id = start.body.execution_id as string;
    await untilFinished(id, []);
    // What the forge records when it opens and merges a task's pull request (--land pr).
    const url = "https://github.example/o/r/pull/7";
    await server.store.appendEvent(id as RunId, "forge:pull", {
      taskId: "1.2",
      number: 7,
      url,
      state: "open",
    });
    const open = await api.get(`/api/v1/autonomous/${id}/tasks/1.2`);
    expect(open.body).toMatchObject({ status: "pr_created", pr_number: 7, pr_url: url });
    const status = await api.get(`/api/v1/autonomous/${id}/status`);
    expect(status.body).toMatchObject({
      status: "complete",
      tasks_completed: 3,
      active_prs: [{ task_number: "1.2", pr_number: 7, pr_url: url }],
    });
    await server.store.appendEvent(id as RunId, "forge:pull", {
      taskId: "1.2",
      number: 7,
      url,
      state: "merged",
    });
    expect((await api.get(`/api/v1/autonomous/${id}/tasks/1.2`)).body).toMatchObject({
      status: "merged",
      pr_number: 7,
    });
    expect((await api.get(`/api/v1/autonomous/${id}/status`)).body.active_prs).toEqual([]);
    const other = await api.get(`/api/v1/autonomous/${id}/tasks/1.1`);
    expect(other.body).toMatchObject({ status: "merged", pr_number: null, pr_url: null });
  });

  it("a plan with a failing task ends failed, with tasks_failed 1 and the task's error", async () => {
    const start = await api.post("/api/v1/autonomous/start", {
      plan_path: "plans/fails.md",
      execution_mode: "parallel",
    });
    expect(start.status).toBe(200);
    const id = start.body.execution_id as string;
    const final = await untilFinished(id, []);
    expect(final).toMatchObject({ status: "failed", tasks_failed: 1, tasks_completed: 1, tasks_total: 2 });
    const bad = await api.get(`/api/v1/autonomous/${id}/tasks/1.2`);
    expect(bad.body.status).toBe("failed");
    expect(bad.body.error).toMatch(/never-there|verification/i);
    const batches = await api.get(`/api/v1/autonomous/${id}/batches`);
    expect(batches.body[0].status).toBe("failed");
  });

  it("runs only the batches of the range asked for", async () => {
    const start = await api.post("/api/v1/autonomous/start", {
      plan_path: "plans/two.md",
      start_batch: 2,
      end_batch: 2,
    });
    expect(start.body.batches_scheduled).toEqual([2]);
    const final = await untilFinished(start.body.execution_id, []);
    expect(final).toMatchObject({ status: "complete", total_batches: 1, tasks_total: 1, current_batch: 2 });
    const missing = await api.get(`/api/v1/autonomous/${start.body.execution_id}/tasks/1.1`);
    expect(missing.status).toBe(404);
  });
});

describe("the original routes' errors", () => {
  it("answers bad requests with 400 and a detail saying what is wrong", async () => {
    const backwards = await api.post("/api/v1/autonomous/start", {
      plan_path: "plans/two.md",
      start_batch: 3,
      end_batch: 2,
    });
    expect([backwards.status, backwards.body]).toEqual([
      400,
      { detail: expect.stringMatching(/after end_batch/) },
    ]);

    const missing = await api.post("/api/v1/autonomous/start", { plan_path: "plans/nope.md" });
    expect([missing.status, missing.body]).toEqual([
      400,
      { detail: expect.stringMatching(/does not exist/) },
    ]);

    const empty = await api.post("/api/v1/autonomous/start", {
      plan_path: "plans/two.md",
      start_batch: 4,
      end_batch: 6,
    });
    expect([empty.status, empty.body]).toEqual([400, { detail: expect.stringMatching(/selects no batch/) }]);

    expect((await api.get("/api/runs")).body.total).toBe(0);
  });

  it("answers schema violations with 422 and FastAPI's list naming the field", async () => {
    const wrongType = await api.post("/api/v1/autonomous/start", {
      plan_path: "plans/two.md",
      start_batch: "x",
    });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.detail).toEqual([
      { loc: ["body", "start_batch"], msg: expect.any(String), type: expect.any(String) },
    ]);
    const noPath = await api.post("/api/v1/autonomous/start", {});
    expect(noPath.status).toBe(422);
    expect(noPath.body.detail[0].loc).toEqual(["body", "plan_path"]);
    const badMode = await api.post("/api/v1/autonomous/start", { plan_path: "p", execution_mode: "cloud" });
    expect(badMode.body.detail[0].loc).toEqual(["body", "execution_mode"]);
    const notJson = await api.post("/api/v1/autonomous/start", "{not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ detail: expect.any(String) });
  });

  it("answers an unknown id with 404, matching ids exactly (not as LIKE patterns)", async () => {
    const start = await api.post("/api/v1/autonomous/start", { plan_path: "plans/two.md" });
    const id = start.body.execution_id as string;
    await untilFinished(id, []);
    for (const path of [
      "/api/v1/autonomous/exec_nope/status",
      "/api/v1/autonomous/exec_%25/status",
      `/api/v1/autonomous/${id.slice(0, -1)}_/batches`,
      `/api/v1/autonomous/${id.toUpperCase()}/status`,
      `/api/v1/autonomous/${id}/tasks/1.%25`,
      `/api/v1/autonomous/${id}/tasks/9.9`,
    ]) {
      const r = await api.get(path);
      expect([path, r.status, typeof r.body.detail]).toEqual([path, 404, "string"]);
    }
  });

  it("refuses plan paths outside the plan roots with 403: .., absolute paths, symlinks out", async () => {
    const outside = await mkdtemp(join(tmpdir(), "orchard-outside-"));
    await writeFile(join(outside, "plan.md"), TWO_BATCHES);
    await symlink(join(outside, "plan.md"), join(repo.dir, "plans", "escape.md"));
    await symlink(outside, join(repo.dir, "plans", "escape-dir"));
    for (const plan_path of [
      "../outside.md",
      "plans/../../x.md",
      join(outside, "plan.md"),
      "/etc/passwd",
      "plans/escape.md",
      "plans/escape-dir/plan.md",
    ]) {
      const r = await api.post("/api/v1/autonomous/start", { plan_path });
      expect([plan_path, r.status, typeof r.body.detail]).toEqual([plan_path, 403, "string"]);
    }
    expect((await api.get("/api/runs")).body.total).toBe(0);
  });

  it("sends no CORS headers unless an origin was allowed", async () => {
    const r = await fetch(`${server.url}/health`, { headers: { origin: "https://evil.example" } });
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(r.headers.get("access-control-allow-credentials")).toBeNull();
    const allowed = await serveRepo(repo.dir, { corsOrigins: ["https://ui.example"] });
    try {
      const ok = await fetch(`${allowed.url}/health`, { headers: { origin: "https://ui.example" } });
      expect(ok.headers.get("access-control-allow-origin")).toBe("https://ui.example");
      const other = await fetch(`${allowed.url}/health`, { headers: { origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await allowed.close();
    }
  });
});
