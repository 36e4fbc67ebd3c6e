import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../src/server/index.js";
import type { RunId } from "../../../src/store/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES } from "../../helpers/orchard.js";
import { Client, readSse, serveRepo, waitFor } from "../../helpers/server.js";

/** Live events as server-sent events from the store's log: replay with Last-Event-ID, heartbeats, slow clients. */
let repo: TestRepo;
let server: RunningServer;
let api: Client;

const PLAN = ["1", "2", "3", "4", "5"]
  .map((n) => `### Task ${n}: Sleep ${n}\n**Files:**\n- Create: \`out-${n}.txt\`\n\nSleep.\n`)
  .join("\n");
const sleepy = (ms: number) => ({ agentCommand: `node ${AGENT_FIXTURES}/sleep.mjs ${ms} out-{task_id}.txt` });

beforeEach(async () => {
  repo = await makeRepo();
  server = await serveRepo(repo.dir);
  api = new Client(server.url);
});

afterEach(async () => {
  await server.close();
  await repo.cleanup();
});

const finishedIn = (events: Array<{ event?: string }>) => events.some((e) => e.event === "run:finished");

describe("event streams", () => {
  it("a client that disconnects mid-run and reconnects with Last-Event-ID sees every event once", async () => {
    const started = await api.post("/api/runs", { planMarkdown: PLAN, options: sleepy(150) });
    const id = started.body.id as string;
    const url = `${server.url}/api/runs/${id}/events`;
    const first = await readSse(url, (events) => events.length >= 4 || finishedIn(events));
    expect(first.contentType).toMatch(/^text\/event-stream/);
    expect(finishedIn(first.events)).toBe(false); // it really left mid-run
    const lastId = first.events.at(-1)!.id!;
    const second = await readSse(url, (events) => finishedIn(events), { "last-event-id": lastId });

    const seen = [...first.events, ...second.events];
    const log = await server.store.listEvents(id as RunId, 0, 100_000);
    expect(seen.map((e) => Number(e.id))).toEqual(log.map((e) => e.seq));
    expect(seen.map((e) => e.event)).toEqual(log.map((e) => e.type));
    expect(JSON.parse(seen[0]!.data)).toMatchObject({ seq: log[0]!.seq, runId: id, type: log[0]!.type });

    // ?after= resumes too, and the all-runs stream carries the same events in the same order.
    const after = await readSse(`${url}?after=${log[2]!.seq}`, (events) => finishedIn(events));
    expect(after.events.map((e) => Number(e.id))).toEqual(log.slice(3).map((e) => e.seq));
    const all = await readSse(`${server.url}/api/events`, (events) => finishedIn(events));
    expect(all.events.map((e) => Number(e.id))).toEqual(log.map((e) => e.seq));
  });

  it("sends heartbeats on an idle stream", async () => {
    const idle = await readSse(`${server.url}/api/events`, (_events, comments) => comments.length >= 2);
    expect(idle.comments.slice(0, 2)).toEqual([": heartbeat", ": heartbeat"]);
  });

  it("answers an unknown run with a 404 body, not a stream", async () => {
    const r = await api.get("/api/runs/exec_nope/events");
    expect([r.status, r.body.error.code]).toEqual([404, "RUN_NOT_FOUND"]);
  });

  it("follows a task's log line by line until its attempt ends; Last-Event-ID is a byte offset", async () => {
    const plan = "### Task 1: Talk\n**Files:**\n- Create: `t.txt`\n\nTalk.\n";
    const started = await api.post("/api/runs", { planMarkdown: plan, options: sleepy(400) });
    const id = started.body.id as string;
    await waitFor("an attempt", async () => {
      const t = await api.get(`/api/runs/${id}/tasks/1`);
      return t.body.attempts?.length > 0 ? true : undefined;
    });
    const url = `${server.url}/api/runs/${id}/tasks/1/log?follow=1`;
    const followed = await readSse(url, (events) => events.some((e) => e.event === "end"));
    const lines = followed.events.filter((e) => e.event === "line");
    const whole = await api.get(`/api/runs/${id}/tasks/1/log`);
    expect(lines.map((e) => `${e.data}\n`).join("")).toBe(whole.body.text);
    expect(lines.map((e) => e.data)).toContain("done");
    const resumed = await readSse(url, (events) => events.some((e) => e.event === "end"), {
      "last-event-id": lines[0]!.id!,
    });
    expect(resumed.events.filter((e) => e.event === "line").map((e) => e.data)).toEqual(
      lines.slice(1).map((e) => e.data),
    );
  });

  it("drops a client that stops reading instead of buffering for it without bound", async () => {
    await server.close();
    server = await serveRepo(repo.dir, { maxStreamBufferBytes: 4096, streamDrainTimeoutMs: 300 });
    const runId = "exec_flood" as RunId;
    const padding = "x".repeat(1000);
    for (let i = 0; i < 20; i++) {
      await server.store.appendEvents(
        runId,
        Array.from({ length: 1000 }, (_, j) => ({ type: "test:flood", data: { i, j, padding } })),
      );
    }
    const { port } = new URL(server.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.pause(); // never reads: 20 MB of events wait for it
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        server.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
      );
    await waitFor("the server to have the stream open", async () =>
      (await connections()) === 1 ? true : undefined,
    );
    await waitFor("the server to drop the stalled client", async () =>
      (await connections()) === 0 ? true : undefined,
    );
    socket.destroy();
  });
});
