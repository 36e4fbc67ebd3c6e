import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterEach, describe, expect, it } from "vitest";
import { tokenMatches } from "../../../src/server/auth.js";
import type { RunningServer } from "../../../src/server/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { Client, readSse, serveRepo, waitFor } from "../../helpers/server.js";
import { TWO_BATCHES } from "./plans.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  over: Parameters<typeof serveRepo>[1] = {},
): Promise<{ repo: TestRepo; server: RunningServer }> {
  const repo = await makeRepo();
  await repo.write("plans/two.md", TWO_BATCHES);
  await repo.commit("plan");
  cleanups.push(() => repo.cleanup());
  const server = await serveRepo(repo.dir, over);
  cleanups.push(() => server.close());
  return { repo, server };
}

describe("tokens", () => {
  it("refuses to listen off loopback without a token", async () => {
    const repo = await makeRepo();
    cleanups.push(() => repo.cleanup());
    await expect(serveRepo(repo.dir, { host: "0.0.0.0" })).rejects.toThrow(/needs a token/);
  });

  it("off loopback, every route but /health wants the bearer token", async () => {
    const token = randomBytes(24).toString("hex");
    const { server } = await setup({ host: "0.0.0.0", token });
    const url = server.url.replace("0.0.0.0", "127.0.0.1");
    const anonymous = new Client(url);
    expect((await anonymous.get("/health")).status).toBe(200);
    const missing = await anonymous.get("/api/runs");
    expect([missing.status, missing.body]).toEqual([
      401,
      { error: { code: "UNAUTHORIZED", message: expect.stringMatching(/Bearer/) } },
    ]);
    const legacy = await anonymous.post("/api/v1/autonomous/start", { plan_path: "plans/two.md" });
    expect([legacy.status, legacy.body]).toEqual([401, { detail: expect.any(String) }]);
    expect((await anonymous.get("/openapi.json")).status).toBe(401);
    expect((await anonymous.get("/")).status).toBe(401);
    const wrong = await anonymous.get("/api/runs", { authorization: `Bearer ${token.slice(0, -1)}x` });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, "UNAUTHORIZED"]);
    const basic = await anonymous.get("/api/runs", { authorization: `Basic ${token}` });
    expect(basic.status).toBe(401);
    const sse = await readSse(`${url}/api/events`, () => true);
    expect(sse.status).toBe(401);
    const right = await anonymous.get("/api/runs", { authorization: `Bearer ${token}` });
    expect([right.status, right.body]).toEqual([200, { runs: [], total: 0 }]);
  });

  it("compares tokens whatever their lengths", () => {
    expect(tokenMatches("abc", "abc")).toBe(true);
    expect(tokenMatches("abc", "abcd")).toBe(false);
    expect(tokenMatches("", "abc")).toBe(false);
  });
});

describe("secrets", () => {
  it("no response, event or log line carries a secret from the environment or the agent's output", async () => {
    const secret = `sk-test-${randomBytes(24).toString("hex")}`;
    const token = randomBytes(24).toString("hex");
    process.env.ORCHARD_TEST_API_KEY = secret;
    cleanups.push(async () => {
      delete process.env.ORCHARD_TEST_API_KEY;
    });
    const logged: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const { server } = await setup({ token, logger: { level: "debug", stream } });
    const api = new Client(server.url, { authorization: `Bearer ${token}` });
    // An agent that prints the key it was given (and does its task).
    const agentCommand = `sh -c 'echo "my key is $ORCHARD_TEST_API_KEY"; echo ok > out-$ORCHARD_TASK_ID.txt'`;
    const plan = "### Task 1: Leak\n**Files:**\n- Create: `out-1.txt`\n\nGo.\n";
    const started = await api.post("/api/runs", { planMarkdown: plan, options: { agentCommand } });
    const id = started.body.id as string;
    await waitFor("the run", async () => {
      const r = await api.get(`/api/runs/${id}`);
      return r.body.status === "succeeded" && !r.body.live ? true : undefined;
    });
    const legacy = await api.post("/api/v1/autonomous/start", { plan_path: "plans/two.md" });
    await waitFor("the execution", async () => {
      const r = await api.get(`/api/v1/autonomous/${legacy.body.execution_id}/status`);
      return r.body.status === "complete" ? true : undefined;
    });
    for (const path of [
      "/",
      "/openapi.json",
      "/api/runs",
      `/api/runs/${id}`,
      `/api/runs/${id}/tasks/1`,
      `/api/runs/${id}/tasks/1/log`,
      `/api/runs/${id}/tasks/1/diff`,
      `/api/v1/autonomous/${legacy.body.execution_id}/status`,
      `/api/v1/autonomous/${legacy.body.execution_id}/batches`,
      `/api/v1/autonomous/${legacy.body.execution_id}/tasks/1.1`,
    ]) {
      expect((await api.get(path)).status).toBe(200);
    }
    const log = await api.get(`/api/runs/${id}/tasks/1/log`);
    expect(log.body.text).toContain("my key is ***"); // the agent did print it: scrubbed on the way
    const auth = { authorization: `Bearer ${token}` };
    const followed = await readSse(
      `${server.url}/api/runs/${id}/tasks/1/log?follow=1`,
      (events) => events.some((e) => e.event === "end"),
      auth,
    );
    const events = await readSse(
      `${server.url}/api/events`,
      (evs) => evs.filter((e) => e.event === "run:finished").length >= 2,
      auth,
    );
    const everything = [
      ...api.seen.map((x) => x.text),
      ...followed.events.map((e) => e.data),
      ...events.events.map((e) => e.data),
      ...logged,
    ].join("\n");
    expect(followed.events.length).toBeGreaterThan(1);
    expect(logged.length).toBeGreaterThan(0);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(token);
  });
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and lists every route", async () => {
    const { server } = await setup();
    const doc = (await new Client(server.url).get("/openapi.json")).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(routes).toEqual(
      [
        "GET /",
        "GET /health",
        "GET /openapi.json",
        "POST /api/v1/autonomous/start",
        "GET /api/v1/autonomous/{execution_id}/status",
        "GET /api/v1/autonomous/{execution_id}/batches",
        "GET /api/v1/autonomous/{execution_id}/tasks/{task_number}",
        "GET /api/runs",
        "POST /api/runs",
        "GET /api/runs/{runId}",
        "POST /api/runs/{runId}/cancel",
        "POST /api/runs/{runId}/resume",
        "GET /api/runs/{runId}/tasks/{taskId}",
        "POST /api/runs/{runId}/tasks/{taskId}/retry",
        "GET /api/runs/{runId}/tasks/{taskId}/diff",
        "GET /api/runs/{runId}/tasks/{taskId}/log",
        "GET /api/runs/{runId}/events",
        "GET /api/events",
        "GET /api/plans/check",
      ].sort(),
    );
  });
});
