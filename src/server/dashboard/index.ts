import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from "fastify";
import {
  attemptLog,
  cancelRun,
  eventsAfter,
  isRunLive,
  listRunSummaries,
  loadRun,
  type RunOptionsInput,
  readLog,
  retryTask,
  runView,
  taskDiff,
  taskView,
} from "../../engine/index.js";
import { OrchardError } from "../../errors.js";
import { loadPlan, type Plan, planGraph } from "../../plan/index.js";
import type { EventRecord, RunId } from "../../store/index.js";
import { tokenMatches } from "../auth.js";
import type { ServerContext } from "../context.js";
import { classify } from "../http-errors.js";
import { resolvePlanPath } from "../plan-roots.js";
import { resumePoint, SseStream } from "../sse.js";
import { renderDiff } from "./diff.js";
import { safeNext, sameOrigin, TOKEN_COOKIE } from "./guard.js";
import { type Html, html, raw } from "./html.js";
import {
  type AttemptLogs,
  errorPage,
  FINAL_RUN,
  layout,
  liveRegion,
  loginPage,
  type RunViewLike,
  runRegion,
  runsTable,
  startForm,
  type TaskLike,
  taskRegion,
  type WaitsFor,
} from "./pages.js";
import { DASHBOARD_CSS } from "./style.js";

const require = createRequire(import.meta.url);
/** Static files: htmx and its SSE extension, diff2html's stylesheet, all from node_modules; no bundler. */
const STATIC: Record<string, { module?: string; text?: string; type: string }> = {
  "htmx.min.js": { module: "htmx.org/dist/htmx.min.js", type: "text/javascript" },
  "htmx-ext-sse.js": { module: "htmx-ext-sse/sse.js", type: "text/javascript" },
  "diff2html.min.css": { module: "diff2html/bundles/css/diff2html.min.css", type: "text/css" },
  "highlight.css": { module: "highlight.js/styles/a11y-light.min.css", type: "text/css" },
  "dashboard.css": { text: DASHBOARD_CSS, type: "text/css" },
};
const AGENTS = ["", "claude", "codex", "opencode", "gemini", "command", "scripted"];
/** The agent output a page shows before it streams the rest (the API's log route has everything). */
const LOG_PAGE_BYTES = 256 * 1024;
const EVENTS_PAGE = 500;

type Form = Record<string, string>;

/** A state-changing request another site made a browser send. */
class CrossSite extends Error {
  constructor() {
    super("refused: this form was sent from another site (the dashboard only takes its own pages' forms)");
  }
}

/**
 * Puts the dashboard at /ui (and `/` for browsers): a redirect hook at the root, before the token check,
 * and the pages as their own plugin.
 */
export async function installDashboard(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook("onRequest", async (request, reply) => {
    if (
      ctx.config.token === null &&
      request.method === "GET" &&
      request.url === "/" &&
      (request.headers.accept ?? "").includes("text/html")
    ) {
      return reply.redirect("/ui/", 303);
    }
  });
  await app.register(dashboardRoutes, { ctx });
}

const dashboardRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { config, store, runs } = ctx;
  const limits = {
    heartbeatMs: config.heartbeatMs,
    maxBufferBytes: config.maxStreamBufferBytes,
    drainTimeoutMs: config.streamDrainTimeoutMs,
  };
  const pollMs = Math.max(config.pollMs, 100);

  // The pages are not part of the API: left out of the OpenAPI document.
  app.addHook("onRoute", (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  // Forms that change state must come from the dashboard's own pages (another site cannot post them).
  app.addHook("preHandler", async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD" && !sameOrigin(request)) {
      throw new CrossSite();
    }
  });
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof CrossSite) return sendPage(reply.code(403), errorPage(403, err.message));
    const c = classify(err, request);
    return sendPage(reply.code(c.status), errorPage(c.status, c.message));
  });

  const sendPage = (reply: FastifyReply, page: Html) =>
    reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("x-frame-options", "DENY")
      .header(
        "content-security-policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      )
      .send(page.text);
  const back = (reply: FastifyReply, to: string) => reply.redirect(to, 303);

  app.get("/ui/static/:file", async (request, reply) => {
    const { file } = request.params as { file: string };
    const entry = STATIC[file];
    if (!entry) throw new OrchardError("NOT_FOUND", `no static file ${file}`);
    const body = entry.text ?? (await readFile(require.resolve(entry.module!), "utf8"));
    return reply
      .type(`${entry.type}; charset=utf-8`)
      .header("cache-control", "public, max-age=300")
      .send(body);
  });

  // ── login (off loopback) ────────────────────────────────────────────────────────────────
  app.get("/ui/login", async (request, reply) => {
    const next = safeNext((request.query as Form).next);
    return sendPage(reply, loginPage(next));
  });
  app.post("/ui/login", async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const next = safeNext(form.next);
    if (config.token === null) return back(reply, next);
    if (!form.token || !tokenMatches(form.token, config.token)) {
      return sendPage(reply.code(401), loginPage(next, "That token is not this server's token."));
    }
    reply.header(
      "set-cookie",
      `${TOKEN_COOKIE}=${encodeURIComponent(form.token)}; HttpOnly; SameSite=Strict; Path=/${request.protocol === "https" ? "; Secure" : ""}`,
    );
    return back(reply, next);
  });

  // ── runs ──────────────────────────────────────────────────────────────────────────────
  const runsRegion = async () => {
    const { runs: list } = await listRunSummaries(store, { limit: 30 });
    const views = await Promise.all(list.map((r) => runView(store, r.id)));
    return runsTable(
      views.map((v) => withLive(v as unknown as RunViewLike)),
      Date.now(),
    );
  };
  const withLive = (v: RunViewLike): RunViewLike => (runs.running.includes(v.id) ? { ...v, live: true } : v);
  const runsPage = async (values: Form = {}, error?: string) =>
    layout(
      "Runs",
      html`<h1>Runs</h1>${startForm(values, AGENTS, error)}<h2>All runs</h2>${liveRegion("runs-live", "/ui/live", "/ui/part/runs", await runsRegion())}`,
    );

  app.get("/ui", async (_request, reply) => back(reply, "/ui/"));
  app.get("/ui/", async (_request, reply) => sendPage(reply, await runsPage()));
  app.get("/ui/part/runs", async (_request, reply) => sendPage(reply, await runsRegion()));

  app.post("/ui/runs", async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    try {
      const options: RunOptionsInput = { ...config.runOptions };
      if (form.agent) options.agent = form.agent;
      if (form.agentCommand) {
        options.agentCommand = form.agentCommand;
        if (!form.agent) options.agent = "command";
      }
      if (form.workers) {
        const n = Number(form.workers);
        if (!Number.isInteger(n) || n < 1)
          throw new OrchardError("USAGE", "workers must be a whole number, at least 1");
        options.workers = n;
      }
      if (form.mode) options.mode = form.mode as RunOptionsInput["mode"];
      if (!options.agent && !options.agentCommand) {
        throw new OrchardError("USAGE", "name the run's agent (this server has no default agent)");
      }
      if (!form.planPath) throw new OrchardError("USAGE", "give the plan's path");
      const planPath = await resolvePlanPath(form.planPath, config.repo, config.planRoots);
      const plan = await loadPlan(planPath, { source: form.planPath });
      const handle = await runs.start({ plan, planPath, options });
      return back(reply, `/ui/runs/${handle.runId}`);
    } catch (err) {
      const c = classify(err, request);
      return sendPage(reply.code(c.status), await runsPage(form, c.message));
    }
  });

  // ── one run ───────────────────────────────────────────────────────────────────────────
  const runRegionFor = async (runId: string) => {
    const view = withLive((await runView(store, runId)) as unknown as RunViewLike);
    const run = await loadRun(store, runId);
    const merges = (await landedEvents(run.id)).map((e) => ({ taskId: String(e.data.taskId), at: e.at }));
    const waits = waitsFor(JSON.parse(run.planJson) as Plan, view);
    return { view, region: runRegion(view, waits, merges, Date.now()) };
  };

  app.get("/ui/runs/:runId", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const { view, region } = await runRegionFor(runId);
    return sendPage(
      reply,
      layout(
        `Run ${view.id}`,
        html`<h1>Run <span class="mono">${view.id}</span></h1>${liveRegion("run-live", `/ui/live?run=${encodeURIComponent(view.id)}`, `/ui/part/runs/${view.id}`, region)}`,
      ),
    );
  });
  app.get("/ui/part/runs/:runId", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    return sendPage(reply, (await runRegionFor(runId)).region);
  });

  app.post("/ui/runs/:runId/cancel", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const run = await loadRun(store, runId);
    await cancelRun(store, run.id);
    return back(reply, `/ui/runs/${run.id}`);
  });
  app.post("/ui/runs/:runId/resume", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const run = await loadRun(store, runId);
    await runs.resume(run.id);
    return back(reply, `/ui/runs/${run.id}`);
  });
  app.post("/ui/runs/:runId/tasks/:taskId/retry", async (request, reply) => {
    const { runId, taskId } = request.params as { runId: string; taskId: string };
    await retryTask(store, runId, taskId);
    const run = await loadRun(store, runId);
    if (!runs.running.includes(run.id) && !(await isRunLive(store, run))) await runs.resume(run.id);
    const from = (request.headers.referer ?? "").includes(`/tasks/${taskId}`);
    return back(reply, from ? `/ui/runs/${run.id}/tasks/${taskId}` : `/ui/runs/${run.id}`);
  });

  // ── one task ──────────────────────────────────────────────────────────────────────────
  const taskRegionFor = async (runId: string, taskId: string) => {
    const run = await loadRun(store, runId);
    const task = (await taskView(store, run.id, taskId)) as unknown as TaskLike;
    const plan = JSON.parse(run.planJson) as Plan;
    const planTask = plan.tasks.find((t) => t.id === taskId);
    const options = JSON.parse(run.optionsJson) as Record<string, unknown>;
    const agentName = String(planTask?.agent ?? options.agent ?? "–");
    const logs: AttemptLogs[] = [];
    for (const a of task.attempts) {
      const agentPath = (await attemptLog(store, run.id, taskId, { attempt: a.attempt, kind: "agent" })).path;
      const full = await readLog(agentPath, { start: -LOG_PAGE_BYTES });
      const setup = await readLog(
        (await attemptLog(store, run.id, taskId, { attempt: a.attempt, kind: "setup" })).path,
        {
          start: -LOG_PAGE_BYTES,
        },
      );
      const verify = await readLog(
        (await attemptLog(store, run.id, taskId, { attempt: a.attempt, kind: "verify" })).path,
        {
          start: -LOG_PAGE_BYTES,
        },
      );
      logs.push({
        attempt: a,
        agent: { text: full.text, end: full.end, truncated: full.start > 0 },
        setup: setup.text,
        verify: verify.text,
      });
    }
    let diff: Html | null = null;
    if (task.resultCommit && task.baseCommit) {
      const d = await taskDiff(store, run.id, taskId);
      diff = d.diff
        ? raw(`<div class="diff">${renderDiff(d.diff)}</div>`)
        : html`<p class="empty">The commit changed nothing.</p>`;
    }
    return {
      run,
      task,
      planTask,
      region: taskRegion(run.id, task, agentName, logs, diff, Date.now()),
    };
  };

  app.get("/ui/runs/:runId/tasks/:taskId", async (request, reply) => {
    const { runId, taskId } = request.params as { runId: string; taskId: string };
    const { run, task, planTask, region } = await taskRegionFor(runId, taskId);
    return sendPage(
      reply,
      layout(
        `Task ${task.taskId}`,
        html`<p><a href="/ui/runs/${run.id}">← Run ${run.id}</a></p>
<h1>Task ${task.taskId}: ${task.title}</h1>
${liveRegion("task-live", `/ui/live?run=${encodeURIComponent(run.id)}`, `/ui/part/runs/${run.id}/tasks/${task.taskId}`, region)}
<h2>Prompt</h2>
<details open><summary>The task as the plan gives it to the agent</summary><pre class="prompt">${planTask?.body ?? "(not in the plan)"}</pre></details>`,
        { diffCss: true },
      ),
    );
  });
  app.get("/ui/part/runs/:runId/tasks/:taskId", async (request, reply) => {
    const { runId, taskId } = request.params as { runId: string; taskId: string };
    return sendPage(reply, (await taskRegionFor(runId, taskId)).region);
  });

  // ── live streams ──────────────────────────────────────────────────────────────────────
  /** Every event of a run (or of all runs) from the store's log, read page by page. */
  async function allEvents(runId: string | null, after = 0): Promise<EventRecord[]> {
    const out: EventRecord[] = [];
    let last = after;
    for (;;) {
      const page = await eventsAfter(store, runId, last, EVENTS_PAGE);
      out.push(...page);
      if (page.length < EVENTS_PAGE) return out;
      last = page.at(-1)!.seq;
    }
  }

  /** A run's task:landed events (the timeline's merge marks), without reading the rest of its log. */
  async function landedEvents(runId: RunId): Promise<EventRecord[]> {
    const out: EventRecord[] = [];
    let last = 0;
    for (;;) {
      const page = await store.listEventsOfTypes(runId, ["task:landed"], last, EVENTS_PAGE);
      out.push(...page);
      if (page.length < EVENTS_PAGE) return out;
      last = page.at(-1)!.seq;
    }
  }

  /**
   * `update` whenever the run's (or any run's) event log grows: the pages fetch their live region again.
   * One right after connecting, so nothing between rendering the page and connecting is missed.
   */
  app.get("/ui/live", async (request, reply) => {
    const runParam = (request.query as Form).run;
    const runId = runParam ? (await loadRun(store, runParam)).id : null;
    const sse = new SseStream(request, reply, limits, ctx.closing);
    void (async () => {
      // Where the log ends now (its events are not read: the page was rendered from the current state).
      let last: number;
      try {
        last = Math.max(resumePoint(request, undefined), await store.lastEventSeq(runId));
      } catch {
        sse.close();
        return;
      }
      if (!(await sse.send({ id: last, event: "update", data: "connected" }))) return;
      while (!sse.closed) {
        await sse.idle(pollMs);
        let page: EventRecord[];
        try {
          page = await allEvents(runId, last);
        } catch {
          sse.close();
          return;
        }
        if (page.length === 0) continue;
        last = page.at(-1)!.seq;
        if (!(await sse.send({ id: last, event: "update", data: page.map((e) => e.type).join(" ") }))) return;
      }
    })();
    return reply;
  });

  /** An attempt's agent output from byte `start`, line by line, each escaped for the page. */
  app.get("/ui/runs/:runId/tasks/:taskId/attempts/:attempt/log", async (request, reply) => {
    const { runId, taskId, attempt } = request.params as { runId: string; taskId: string; attempt: string };
    const n = Number(attempt);
    await attemptLog(store, runId, taskId, { attempt: n });
    const sse = new SseStream(request, reply, limits, ctx.closing);
    let offset = resumePoint(request, Number((request.query as Form).start ?? 0) || 0);
    void (async () => {
      while (!sse.closed) {
        const now = await attemptLog(store, runId, taskId, { attempt: n }).catch(() => null);
        const done = !now || now.attempt.finishedAt !== null;
        const slice = await readLog(now?.path ?? null, { start: offset });
        const cut = slice.text.lastIndexOf("\n");
        const whole = done ? slice.text : slice.text.slice(0, cut + 1);
        if (whole !== "") {
          offset += Buffer.byteLength(whole);
          if (!(await sse.send({ id: offset, event: "line", data: html`${whole}`.text }))) return;
        }
        if (done) {
          await sse.send({ id: offset, event: "end", data: "" });
          sse.close();
          return;
        }
        await sse.idle(pollMs);
      }
    })();
    return reply;
  });
};

/** For each task that has not started: the dependencies it waits for, or a free slot. */
function waitsFor(plan: Plan, run: RunViewLike): WaitsFor {
  const out: WaitsFor = new Map();
  const options = run.options as { parallel?: boolean; fileGuard?: boolean };
  let graph: ReturnType<typeof planGraph> | null = null;
  try {
    graph = planGraph(plan, { parallel: options.parallel === true, fileGuard: options.fileGuard !== false });
  } catch {
    graph = null;
  }
  const status = new Map(run.tasks.map((t) => [t.taskId, t.status]));
  const FINAL_TASK = new Set(["landed", "failed", "skipped", "cancelled"]);
  const WORDS: Record<string, string> = {
    "depends-on": "dependency",
    batch: "batch order",
    "flat-order": "plan order",
    "inferred-file": "a file it uses",
    "file-guard": "the file guard",
  };
  for (const t of run.tasks) {
    if (t.status !== "pending" && t.status !== "queued") continue;
    const open = (graph?.edges.get(t.taskId as never) ?? []).filter((e) =>
      e.kind === "dep" ? status.get(e.on) !== "landed" : !FINAL_TASK.has(status.get(e.on) ?? ""),
    );
    if (open.length > 0)
      out.set(t.taskId, open.map((e) => `${e.on} (${WORDS[e.reason] ?? e.reason})`).join(", "));
    else if (FINAL_RUN.has(run.status)) continue;
    else if (!run.live) out.set(t.taskId, "the run to be resumed");
    else out.set(t.taskId, "a free slot");
  }
  return out;
}
