/**
 * The browser defences of `orchard serve` (issues 23/24 follow-up), over real HTTP on a real port: another
 * site cannot make a browser start a run, a DNS-rebinding page cannot reach a loopback server, JSON routes
 * take only JSON; curl-like clients, `--cors` origins and the dashboard's own forms keep working.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../src/server/index.js";
import { makeRepo } from "../../helpers/git-repo.js";
import { serveRepo } from "../../helpers/server.js";
import { TWO_BATCHES } from "./plans.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(over: Parameters<typeof serveRepo>[1] = {}): Promise<RunningServer> {
  const repo = await makeRepo();
  await repo.write("plans/two.md", TWO_BATCHES);
  await repo.commit("plan");
  cleanups.push(() => repo.cleanup());
  const server = await serveRepo(repo.dir, over);
  cleanups.push(() => server.close());
  return server;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly
  body: any;
  location: string | undefined;
}

/** One request with exactly these headers (node:http: fetch will not let a test set Host). */
function send(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => {
          const json = (res.headers["content-type"] ?? "").includes("json");
          resolve({
            status: res.statusCode ?? 0,
            body: json ? JSON.parse(text) : text,
            location: res.headers.location,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const port = (server: RunningServer) => new URL(server.url).port;
const JSON_TYPE = { "content-type": "application/json" };
/** What an attacker's page can make a browser send without a preflight. */
const startBody = (plan = "### Task 1: X\n**Files:**\n- Create: `x.txt`\n\nGo.\n") =>
  JSON.stringify({ planMarkdown: plan, options: { agentCommand: "sh -c 'touch pwned'" } });

async function runCount(server: RunningServer): Promise<number> {
  const r = await send(server, "GET", "/api/runs", {});
  expect(r.status).toBe(200);
  return r.body.total as number;
}

describe("cross-site requests", () => {
  it("a page on another site cannot start a run: text/plain and JSON posts, Sec-Fetch-Site or Origin", async () => {
    const server = await setup();
    const evil = { origin: "http://attacker.example" };
    const attempts: Array<[string, Record<string, string>]> = [
      ["text/plain, cross-site", { "content-type": "text/plain", "sec-fetch-site": "cross-site", ...evil }],
      ["JSON, cross-site", { ...JSON_TYPE, "sec-fetch-site": "cross-site", ...evil }],
      ["JSON, same-site", { ...JSON_TYPE, "sec-fetch-site": "same-site", origin: "http://127.0.0.1:1" }],
      ["JSON, foreign Origin only", { ...JSON_TYPE, ...evil }],
      ["JSON, Origin null", { ...JSON_TYPE, origin: "null" }],
      ["JSON, Sec-Fetch-Site only", { ...JSON_TYPE, "sec-fetch-site": "cross-site" }],
    ];
    for (const [what, headers] of attempts) {
      const r = await send(server, "POST", "/api/runs", headers, startBody());
      expect([what, r.status, r.body]).toEqual([
        what,
        403,
        { error: { code: "FORBIDDEN", message: expect.stringMatching(/refused/) } },
      ]);
    }
    expect(await runCount(server)).toBe(0);
  });

  it("the original routes refuse it too, in their {detail} shape; bodyless state changes are refused", async () => {
    const server = await setup();
    const legacy = await send(
      server,
      "POST",
      "/api/v1/autonomous/start",
      { ...JSON_TYPE, "sec-fetch-site": "cross-site", origin: "http://attacker.example" },
      JSON.stringify({ plan_path: "plans/two.md" }),
    );
    expect([legacy.status, legacy.body]).toEqual([403, { detail: expect.stringMatching(/refused/) }]);
    // A run to cancel, started by a script (no browser headers).
    const started = await send(
      server,
      "POST",
      "/api/runs",
      JSON_TYPE,
      JSON.stringify({ planPath: "plans/two.md" }),
    );
    expect(started.status).toBe(202);
    const cancel = await send(server, "POST", `/api/runs/${started.body.id}/cancel`, {
      "sec-fetch-site": "cross-site",
      origin: "http://attacker.example",
    });
    expect([cancel.status, cancel.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const form = await send(
      server,
      "POST",
      "/ui/runs",
      { "content-type": "application/x-www-form-urlencoded", origin: "http://attacker.example" },
      "planPath=plans%2Ftwo.md&agent=scripted",
    );
    expect(form.status).toBe(403);
    expect(await runCount(server)).toBe(1);
  });

  it("curl-like clients, this server's own origin and --cors origins still start runs", async () => {
    const server = await setup({ corsOrigins: ["http://app.example"] });
    const body = JSON.stringify({ planPath: "plans/two.md" });
    const curl = await send(server, "POST", "/api/runs", JSON_TYPE, body);
    expect([curl.status, curl.body.status]).toEqual([202, "running"]);
    const own = await send(
      server,
      "POST",
      "/api/runs",
      { ...JSON_TYPE, "sec-fetch-site": "same-origin", origin: `http://127.0.0.1:${port(server)}` },
      body,
    );
    expect(own.status).toBe(202);
    const allowed = await send(
      server,
      "POST",
      "/api/runs",
      { ...JSON_TYPE, "sec-fetch-site": "cross-site", origin: "http://app.example" },
      body,
    );
    expect(allowed.status).toBe(202);
    const preflight = await send(server, "OPTIONS", "/api/runs", {
      origin: "http://app.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(preflight.status).toBe(204);
    expect(await runCount(server)).toBe(3);
    // `curl -X POST …/cancel`: no body, no content type, no browser headers.
    const cancel = await send(server, "POST", `/api/runs/${curl.body.id}/cancel`, {});
    expect([cancel.status, cancel.body.id]).toEqual([200, curl.body.id]);
  });

  it("the dashboard's own forms still work (same-origin browser post)", async () => {
    const server = await setup();
    const r = await send(
      server,
      "POST",
      "/ui/runs",
      {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
        origin: `http://127.0.0.1:${port(server)}`,
      },
      "planPath=plans%2Ftwo.md&agent=scripted",
    );
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/ui\/runs\//);
    expect(await runCount(server)).toBe(1);
  });
});

describe("DNS rebinding", () => {
  it("on a loopback bind, a Host that is not a loopback name is refused, reads included", async () => {
    const server = await setup();
    for (const host of [
      `attacker.example:${port(server)}`,
      "attacker.example",
      `127.0.0.1.nip.io:${port(server)}`,
    ]) {
      const read = await send(server, "GET", "/api/runs", { host });
      expect([host, read.status, read.body]).toEqual([
        host,
        403,
        { error: { code: "FORBIDDEN", message: expect.stringMatching(/not a loopback name/) } },
      ]);
      const legacy = await send(server, "GET", "/health", { host });
      expect([host, legacy.status, legacy.body]).toEqual([host, 403, { detail: expect.any(String) }]);
      const start = await send(server, "POST", "/api/runs", { ...JSON_TYPE, host }, startBody());
      expect(start.status).toBe(403);
    }
    for (const host of [
      `127.0.0.1:${port(server)}`,
      `localhost:${port(server)}`,
      `[::1]:${port(server)}`,
      "localhost",
    ]) {
      const r = await send(server, "GET", "/api/runs", { host });
      expect([host, r.status]).toEqual([host, 200]);
    }
    expect(await runCount(server)).toBe(0);
  });

  it("off loopback the token guards instead: any Host name is answered", async () => {
    const token = "t".repeat(40);
    const server = await setup({ host: "0.0.0.0", token });
    const url = new URL(server.url.replace("0.0.0.0", "127.0.0.1"));
    const r = await send({ ...server, url: url.toString().replace(/\/$/, "") }, "GET", "/api/runs", {
      host: `orchard.internal:${url.port}`,
      authorization: `Bearer ${token}`,
    });
    expect(r.status).toBe(200);
  });
});

describe("request bodies", () => {
  it("JSON routes take only application/json: a text/plain body is 415, even from a script", async () => {
    const server = await setup();
    const r = await send(server, "POST", "/api/runs", { "content-type": "text/plain" }, startBody());
    expect([r.status, r.body.error?.code]).toEqual([415, "REQUEST_INVALID"]);
    expect(r.body.error.message).toBe(
      "this route takes a JSON body: send it with Content-Type: application/json (got text/plain)",
    );
    const legacy = await send(
      server,
      "POST",
      "/api/v1/autonomous/start",
      { "content-type": "text/plain" },
      JSON.stringify({ plan_path: "plans/two.md" }),
    );
    expect([legacy.status, typeof legacy.body.detail]).toEqual([415, "string"]);
    const charset = await send(
      server,
      "POST",
      "/api/runs",
      { "content-type": "application/json; charset=utf-8" },
      JSON.stringify({ planPath: "plans/two.md" }),
    );
    expect(charset.status).toBe(202);
    expect(await runCount(server)).toBe(1);
  });
});
