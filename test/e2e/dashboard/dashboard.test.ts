/// <reference lib="dom" />
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../src/server/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { Client, serveRepo, waitFor } from "../../helpers/server.js";
import { SIX, TWO } from "./plans.js";

/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, the real server, engine and
 * git, and a command agent held at a gate the test opens (no timing: every wait is for a DOM state).
 */
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`dashboard browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}
const AGENT = join(import.meta.dirname, "gated-agent.mjs");
const OUT = join(import.meta.dirname, "../../../.ci/out/dashboard");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const DOM_WAIT = 60_000;

let browser: Browser;
const opened: { repo: TestRepo; server: RunningServer; gate: string }[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  await mkdir(OUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  for (const o of opened) {
    // Agents a failed test left at the gate are killed, not waited for.
    const closed = o.server.close();
    o.server.kill();
    await closed;
    await o.repo.cleanup();
    await rm(o.gate, { recursive: true, force: true });
  }
});

async function setup(over: Parameters<typeof serveRepo>[1] = {}) {
  const repo = await makeRepo();
  await repo.write("plans/six.md", SIX);
  await repo.write("plans/two.md", TWO);
  await repo.commit("plans");
  const gate = await mkdtemp(join(tmpdir(), "orchard-gate-"));
  const server = await serveRepo(repo.dir, { runOptions: { maxAttempts: 1 }, ...over });
  opened.push({ repo, server, gate });
  return { repo, server, gate, agentCommand: `node ${AGENT} ${gate}` };
}

/** The pages' Content-Security-Policy stays in force: htmx and its extension must work under it. */
const context = (): Promise<BrowserContext> => browser.newContext();

/** axe-core in the page: no serious or critical violations. */
async function axe(page: Page, what: string) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (an inline <script> would be blocked).
  await page.evaluate(await readFile(AXE, "utf8"));
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  const serious = result.filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical");
  expect(serious, `axe on ${what}`).toEqual([]);
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

const statuses = (page: Page) =>
  page.$$eval("#run-live tr[data-task]", (rows) =>
    rows.map((r) => `${r.getAttribute("data-task")}:${r.getAttribute("data-status")}`),
  );

const rowsWith = (page: Page, status: string, n: number) =>
  page.waitForFunction(
    ([s, k]) => document.querySelectorAll(`#run-live tr[data-status="${s}"]`).length >= Number(k),
    [status, String(n)],
    { timeout: DOM_WAIT },
  );

const runStatus = (page: Page, status: string) =>
  page.waitForSelector(`#run-status [data-status="${status}"]`, { timeout: DOM_WAIT });

describe.skipIf(!haveChromium)("dashboard in chromium", () => {
  it("starts a 6-task 3-worker run from the form; tasks land live; a second context sees the same; timeline overlaps; a task shows its diff and output", async () => {
    const { server, gate, agentCommand } = await setup();
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/ui/");
    await axe(page, "runs page (empty)");
    await page.getByLabel("Plan path").fill("plans/six.md");
    await page.locator("#f-agent").selectOption("command");
    await page.getByLabel("Agent command (command agent)").fill(agentCommand);
    await page.getByLabel("Workers").fill("3");
    await page.locator("#f-mode").selectOption("parallel");
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/ui\/runs\/[^/]+$/);
    const runId = page.url().split("/").pop()!;
    // A mark that a reload would wipe out.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });

    // Three agents at the gate: three running, three waiting for a free slot.
    await rowsWith(page, "running", 3);
    await page.waitForFunction(() => document.querySelectorAll("#run-live .waits").length >= 3, null, {
      timeout: DOM_WAIT,
    });
    expect(
      await page
        .locator("#run-live tr[data-status='pending'] .waits, #run-live tr[data-status='queued'] .waits")
        .first()
        .textContent(),
    ).toContain("a free slot");

    // A second browser context opened mid-run shows the same state.
    const other = await context();
    const second = await other.newPage();
    await second.goto(`${server.url}/ui/runs/${runId}`);
    expect(await statuses(second)).toEqual(await statuses(page));
    await shot(page, "run-running");
    await axe(second, "run page (running)");

    // A task page while its agent runs: its output so far, then more streamed in.
    const running = await page
      .locator("#run-live tr[data-status='running']")
      .first()
      .getAttribute("data-task");
    const taskPage = await other.newPage();
    await taskPage.goto(`${server.url}/ui/runs/${runId}/tasks/${running}`);
    await taskPage.waitForSelector(`.agent-log:has-text("agent for task ${running}: waiting for the gate")`);
    await axe(taskPage, "task page (running)");

    // Held after the gate: the line it prints then reaches the page while the attempt still runs (streamed).
    await writeFile(join(gate, `hold-${running}`), "");
    await writeFile(join(gate, "go"), "");
    await taskPage.waitForSelector(`.agent-log:has-text("agent for task ${running}: gate open")`, {
      timeout: DOM_WAIT,
    });
    expect(await taskPage.locator('#task-status [data-status="running"]').count()).toBe(1);
    expect(await taskPage.locator(`.agent-log:has-text("agent for task ${running}: done")`).count()).toBe(0);
    await rm(join(gate, `hold-${running}`));
    await taskPage.waitForSelector(`.agent-log:has-text("agent for task ${running}: done")`, {
      timeout: DOM_WAIT,
    });
    await rowsWith(page, "landed", 6);
    await runStatus(page, "succeeded");
    await rowsWith(second, "landed", 6);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await statuses(second)).toEqual(await statuses(page));
    await shot(page, "run");

    // The timeline: a bar per attempt, at least two of them overlapping in time on different slots.
    const bars = await page.$$eval("#run-live svg.timeline g.bar", (gs) =>
      gs.map((g) => ({
        lane: g.getAttribute("data-lane")!,
        start: Number(g.getAttribute("data-start")),
        end: Number(g.getAttribute("data-end")),
        label: g.querySelector("text")?.textContent ?? "",
      })),
    );
    expect(bars).toHaveLength(6);
    expect(bars.every((b) => b.label.endsWith(" ok"))).toBe(true);
    const overlapping = bars.flatMap((a, i) =>
      bars.slice(i + 1).filter((b) => a.lane !== b.lane && a.start < b.end && b.start < a.end),
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(1);
    expect(await page.locator("#run-live svg.timeline g.merge").count()).toBe(6);
    await axe(page, "run page (finished)");

    // A task: its diff and its agent's output.
    await page.getByRole("link", { name: "1.2", exact: true }).click();
    await page.waitForURL(/\/tasks\/1\.2$/);
    await page.waitForSelector(".d2h-file-name:has-text('out-1.2.txt')");
    expect(await page.locator(".diff").textContent()).toContain("made by task 1.2");
    expect(await page.locator(".agent-log").first().textContent()).toContain("agent for task 1.2: done");
    expect(await page.locator(".prompt").textContent()).toContain("Write out-1.2.txt.");
    await shot(page, "task");
    await axe(page, "task page (landed)");
    await page.goto(`${server.url}/ui/`);
    await page.waitForSelector(`tr[data-run="${runId}"] [data-status="succeeded"]`);
    await shot(page, "runs");
    await axe(page, "runs page");
    await ctx.close();
    await other.close();
  });

  it("shows a failing task's reason, retries it from the page and it lands; cancel from the page; a cross-site post is refused", async () => {
    const { server, gate, agentCommand } = await setup();
    const api = new Client(server.url);
    await writeFile(join(gate, "go"), "");
    await writeFile(join(gate, "fail-1.2"), "");
    const started = await api.post("/api/runs", {
      planPath: "plans/two.md",
      options: { agentCommand, workers: 2 },
    });
    expect(started.status).toBe(202);
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/ui/runs/${started.body.id}`);
    await runStatus(page, "failed");
    const reason = page.locator("#run-live tr[data-task='1.2'] .reason");
    await expect.poll(() => reason.textContent()).toMatch(/exit|3|broke/);
    await shot(page, "run-failed");
    await axe(page, "run page (failed)");
    await rm(join(gate, "fail-1.2"));
    await page.getByRole("button", { name: "Retry 1.2" }).click();
    await page.waitForSelector("#run-live tr[data-task='1.2'][data-status='landed']", { timeout: DOM_WAIT });
    await runStatus(page, "succeeded");

    // A failed run whose task is made runnable again without resuming it: resumed from the page.
    await writeFile(join(gate, "fail-1.1"), "");
    const second = await api.post("/api/runs", {
      planPath: "plans/two.md",
      options: { agentCommand, workers: 2 },
    });
    await page.goto(`${server.url}/ui/runs/${second.body.id}`);
    await runStatus(page, "failed");
    await rm(join(gate, "fail-1.1"));
    const reset = await api.post(`/api/runs/${second.body.id}/tasks/1.1/retry`, { resume: false });
    expect(reset.body).toMatchObject({ resumed: false });
    await runStatus(page, "interrupted");
    await page.getByRole("button", { name: `Resume run ${second.body.id}` }).click();
    await runStatus(page, "succeeded");
    await page.waitForSelector("#run-live tr[data-task='1.1'][data-status='landed']");

    // Cancel a running run from its page: the slots come free.
    await rm(join(gate, "go"));
    const held = await api.post("/api/runs", {
      planPath: "plans/six.md",
      options: { agentCommand, workers: 3 },
    });
    await page.goto(`${server.url}/ui/runs/${held.body.id}`);
    await rowsWith(page, "running", 3);

    // Another site's page posting the cancel form: refused, the run goes on.
    const evil = await evilSite(`${server.url}/ui/runs/${held.body.id}/cancel`);
    const attacker = await ctx.newPage();
    await attacker.goto(evil.url);
    await attacker.getByRole("button", { name: "win a prize" }).click();
    await attacker.waitForSelector("text=refused");
    expect((await api.get(`/api/runs/${held.body.id}`)).body).toMatchObject({
      status: "running",
      cancelRequested: false,
    });
    evil.server.close();

    await page.getByRole("button", { name: `Cancel run ${held.body.id}` }).click();
    await runStatus(page, "cancelled");
    await page.waitForFunction(
      () => document.querySelectorAll("#run-live tr[data-status='running']").length === 0,
      null,
      {
        timeout: DOM_WAIT,
      },
    );
    expect(await page.locator("#run-live g.bar[data-status='running']").count()).toBe(0);
    const after = await waitFor("the run's process to stop", async () => {
      const r = await api.get(`/api/runs/${held.body.id}`);
      return r.body.live ? undefined : r.body;
    });
    expect(after.status).toBe("cancelled");
    await ctx.close();
  });

  it("with JavaScript off the pages are complete: start from the form, read the run and its timeline, cancel", async () => {
    const { server, gate, agentCommand } = await setup();
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/ui/`);
    await page.getByLabel("Plan path").fill("plans/six.md");
    await page.locator("#f-agent").selectOption("command");
    await page.getByLabel("Agent command (command agent)").fill(agentCommand);
    await page.getByLabel("Workers").fill("2");
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/ui\/runs\/[^/]+$/);
    const runId = page.url().split("/").pop()!;
    expect(await page.locator("#run-live tr[data-task]").count()).toBe(6);
    // Not live: the page shows what was true when it was loaded; loading it again shows more.
    const running = await waitFor("two agents at the gate", async () => {
      await page.reload();
      return (await page.locator("#run-live tr[data-status='running']").count()) === 2 ? true : undefined;
    });
    expect(running).toBe(true);
    expect(await page.locator("#run-live svg.timeline g.bar").count()).toBe(2);
    await shot(page, "run-no-js");
    await page.getByRole("button", { name: `Cancel run ${runId}` }).click();
    await page.waitForURL(new RegExp(`/ui/runs/${runId}$`));
    await waitFor("the run to be cancelled", async () => {
      await page.reload();
      return (await page.locator('#run-status [data-status="cancelled"]').count()) === 1 ? true : undefined;
    });
    expect(existsSync(join(gate, "go"))).toBe(false);
    await ctx.close();
  });

  it("off loopback: refuses without the token, works after logging in (HttpOnly, SameSite=Strict cookie)", async () => {
    const token = "dash-token-0123456789";
    const { server } = await setup({ token });
    const plain = await fetch(`${server.url}/ui/`, { redirect: "manual", headers: { accept: "text/html" } });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toMatch(/^\/ui\/login/);
    expect((await fetch(`${server.url}/ui/part/runs`)).status).toBe(401);
    expect((await fetch(`${server.url}/ui/live`)).status).toBe(401);
    // The login cookie reads the API (its event streams) but does not write through it: that wants the bearer.
    const cookie0 = `orchard_token=${token}`;
    expect((await fetch(`${server.url}/api/runs`, { headers: { cookie: cookie0 } })).status).toBe(200);
    const write = await fetch(`${server.url}/api/runs`, {
      method: "POST",
      headers: { cookie: cookie0, "content-type": "application/json" },
      body: JSON.stringify({ planPath: "plans/two.md", options: { agent: "scripted" } }),
    });
    expect(write.status).toBe(401);
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/ui/login");
    await axe(page, "login page");
    await page.getByLabel("Token").fill("not-the-token");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForSelector("text=not this server's token");
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForSelector("h1:has-text('Runs')");
    expect(new URL(page.url()).pathname).toBe("/ui/");
    await shot(page, "login-then-runs");
    const cookie = (await ctx.cookies()).find((c) => c.name === "orchard_token");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    // A form another site makes the browser send carries no cookie (SameSite=Strict) and is refused.
    const evil = await evilSite(`${server.url}/ui/runs`);
    const attacker = await ctx.newPage();
    await attacker.goto(evil.url);
    await attacker.getByRole("button", { name: "win a prize" }).click();
    await attacker.waitForLoadState();
    expect(new URL(attacker.url()).pathname).not.toMatch(/^\/ui\/runs\/./);
    expect(
      (await new Client(server.url, { authorization: `Bearer ${token}` }).get("/api/runs")).body.total,
    ).toBe(0);
    evil.server.close();
    await ctx.close();
  });
});

/** A page on another origin (localhost, not 127.0.0.1) whose button posts a form to `target`. */
async function evilSite(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(
      `<!doctype html><html lang="en"><title>evil</title><form method="post" action="${target}"><input type="hidden" name="planPath" value="plans/six.md"><input type="hidden" name="agent" value="scripted"><button>win a prize</button></form></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://localhost:${port}/`, server };
}
