import type { AttemptRecord } from "../../store/index.js";
import { count, duration, short, time, usd } from "./format.js";
import { type Html, html, raw } from "./html.js";
import { type TimelineMerge, timelineSvg } from "./timeline.js";

// The pages, rendered on the server. Each live part is a region that htmx fetches again when the run's
// event stream says something happened; without JavaScript the pages are complete, just not live.

export interface RunViewLike {
  id: string;
  status: string;
  live: boolean;
  reason: string | null;
  planPath: string | null;
  baseCommit: string;
  integrationBranch: string;
  integrationHead: string | null;
  cancelRequested: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  options: Record<string, unknown>;
  counts: Record<string, number>;
  costUsd: number;
  batches: { batchId: string; title: string; dependsOn: string[] }[];
  tasks: TaskLike[];
}

export interface TaskLike {
  taskId: string;
  batchId: string;
  title: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  baseCommit: string | null;
  resultCommit: string | null;
  landedCommit: string | null;
  reason: string | null;
  attempts: AttemptRecord[];
}

const SYMBOL: Record<string, string> = {
  landed: "✓",
  succeeded: "✓",
  completed: "✓",
  failed: "✗",
  expired: "✗",
  running: "▶",
  queued: "…",
  pending: "…",
  interrupted: "‖",
  cancelled: "■",
  skipped: "↷",
};

/** A status in words, with a symbol and a colour that only repeat what the word says. */
export const badge = (status: string): Html =>
  html`<span class="status s-${status}" data-status="${status}"><span aria-hidden="true">${SYMBOL[status] ?? "•"} </span>${status}</span>`;

export function layout(title: string, body: Html, opts: { diffCss?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Orchard</title>
${opts.diffCss ? raw('<link rel="stylesheet" href="/ui/static/diff2html.min.css"><link rel="stylesheet" href="/ui/static/highlight.css">') : ""}
<link rel="stylesheet" href="/ui/static/dashboard.css">
<script src="/ui/static/htmx.min.js" defer></script>
<script src="/ui/static/htmx-ext-sse.js" defer></script>
</head>
<body hx-ext="sse">
<a class="visually-hidden" href="#main">Skip to content</a>
<header><nav aria-label="Main"><a href="/ui/">Orchard · runs</a></nav></header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

export const FINAL_RUN = new Set(["succeeded", "failed", "cancelled"]);

const tokens = (attempts: AttemptRecord[]) =>
  attempts.reduce((s, a) => s + (a.usage?.inputTokens ?? 0) + (a.usage?.outputTokens ?? 0), 0);
const cost = (attempts: AttemptRecord[]) => attempts.reduce((s, a) => s + (a.usage?.costUsd ?? 0), 0);
const spent = (attempts: AttemptRecord[], now: number) =>
  attempts.reduce((s, a) => s + ((a.finishedAt ?? now) - a.startedAt), 0);

function runActions(run: { id: string; status: string; live: boolean; cancelRequested?: boolean }): Html {
  const cancel =
    !FINAL_RUN.has(run.status) && !run.cancelRequested
      ? html`<form class="inline" method="post" action="/ui/runs/${run.id}/cancel"><button type="submit" class="danger">Cancel run ${run.id}</button></form>`
      : "";
  const resume =
    run.status === "interrupted" || (run.status === "running" && !run.live)
      ? html` <form class="inline" method="post" action="/ui/runs/${run.id}/resume"><button type="submit">Resume run ${run.id}</button></form>`
      : "";
  return html`${cancel}${resume}`;
}

export interface RunRow {
  view: RunViewLike;
}

/** The runs page's live region: one row per run. */
export function runsTable(runs: RunViewLike[], now: number): Html {
  if (runs.length === 0) return html`<p class="empty">No runs yet. Start one with the form above.</p>`;
  const rows = runs.map((r) => {
    const total = r.tasks.length;
    const landed = r.counts.landed ?? 0;
    const failed = r.counts.failed ?? 0;
    const running = r.counts.running ?? 0;
    const waiting = (r.counts.pending ?? 0) + (r.counts.queued ?? 0);
    const elapsed = r.startedAt ? (r.finishedAt ?? now) - r.startedAt : null;
    return html`<tr data-run="${r.id}">
<td><a href="/ui/runs/${r.id}">${r.id}</a></td>
<td class="mono">${r.planPath ?? "(markdown)"}</td>
<td>${badge(r.status)}${r.reason && r.status !== "succeeded" ? html`<div class="reason">${r.reason}</div>` : ""}</td>
<td><progress max="${Math.max(total, 1)}" value="${landed}" aria-label="${landed} of ${total} tasks landed"></progress>
<div>${landed} landed · ${failed} failed · ${running} running · ${waiting} waiting of ${total}</div></td>
<td>${usd(r.costUsd)}</td>
<td>${time(r.startedAt)}<div>${duration(elapsed)}</div></td>
<td class="mono">${r.integrationBranch}<div>${short(r.integrationHead)}</div></td>
<td>${runActions(r)}</td>
</tr>`;
  });
  return html`<table><caption class="visually-hidden">Runs, newest first</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Cost</th><th scope="col">Started · elapsed</th><th scope="col">Integration branch · head</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export function startForm(
  values: { planPath?: string; agent?: string; agentCommand?: string; workers?: string; mode?: string },
  agents: string[],
  error?: string,
): Html {
  const mode = values.mode ?? "parallel";
  return html`<section aria-labelledby="start-h"><h2 id="start-h">Start a run</h2>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form class="start" method="post" action="/ui/runs">
<label for="f-plan">Plan path<input id="f-plan" name="planPath" required value="${values.planPath ?? ""}" placeholder="plans/feature.md"></label>
<label for="f-agent">Agent<select id="f-agent" name="agent">${agents.map((a) => html`<option value="${a}"${a === (values.agent ?? "") ? raw(" selected") : ""}>${a === "" ? "(server default)" : a}</option>`)}</select></label>
<label for="f-command">Agent command (command agent)<input id="f-command" name="agentCommand" value="${values.agentCommand ?? ""}" placeholder="my-agent --task \$ORCHARD_TASK_ID"></label>
<label for="f-workers">Workers<input id="f-workers" name="workers" type="number" min="1" max="64" value="${values.workers ?? ""}" placeholder="3"></label>
<label for="f-mode">Mode<select id="f-mode" name="mode">${["parallel", "local", "sandbox"].map((m) => html`<option value="${m}"${m === mode ? raw(" selected") : ""}>${m}</option>`)}</select></label>
<button type="submit" class="primary">Start run</button>
</form></section>`;
}

/** What a task that has not started waits for: its dependencies, the file guard, or a free slot. */
export type WaitsFor = Map<string, string>;

export function runRegion(run: RunViewLike, waits: WaitsFor, merges: TimelineMerge[], now: number): Html {
  const total = run.tasks.length;
  const landed = run.counts.landed ?? 0;
  const elapsed = run.startedAt ? (run.finishedAt ?? now) - run.startedAt : null;
  const agentOf = (t: TaskLike) => {
    const last = t.attempts.at(-1);
    return (
      (last?.usage?.model ? `${String(run.options.agent ?? "")} (${last.usage.model})` : null) ??
      String(run.options.agent ?? "–")
    );
  };
  const batches = run.batches.map((b) => {
    const tasks = run.tasks.filter((t) => t.batchId === b.batchId);
    const rows = tasks.map((t) => {
      const result = t.landedCommit
        ? html`landed <code>${short(t.landedCommit)}</code>`
        : t.reason && ["failed", "skipped", "cancelled"].includes(t.status)
          ? html`<span class="reason">${t.reason}</span>`
          : waits.has(t.taskId)
            ? html`<span class="waits">waits for ${waits.get(t.taskId)}</span>`
            : t.status === "running"
              ? html`attempt ${t.attempt} running`
              : "";
      const retry = ["failed", "skipped", "cancelled"].includes(t.status)
        ? html`<form class="inline" method="post" action="/ui/runs/${run.id}/tasks/${t.taskId}/retry"><button type="submit">Retry ${t.taskId}</button></form>`
        : "";
      return html`<tr data-task="${t.taskId}" data-status="${t.status}">
<td><a href="/ui/runs/${run.id}/tasks/${t.taskId}">${t.taskId}</a></td>
<td>${t.title}</td>
<td>${badge(t.status)}</td>
<td>${t.attempts.length} / ${t.maxAttempts}</td>
<td>${agentOf(t)}</td>
<td>${t.attempts.length ? duration(spent(t.attempts, now)) : "–"}</td>
<td>${usd(cost(t.attempts))}</td>
<td>${count(tokens(t.attempts))}</td>
<td class="result">${result}</td>
<td>${retry}</td>
</tr>`;
    });
    return html`<h3>Batch ${b.batchId}: ${b.title}${b.dependsOn.length ? html` <span class="waits">(after batch ${b.dependsOn.join(", ")})</span>` : ""}</h3>
<table><caption class="visually-hidden">Tasks of batch ${b.batchId}</caption>
<thead><tr><th scope="col">Task</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Agent</th><th scope="col">Time</th><th scope="col">Cost</th><th scope="col">Tokens</th><th scope="col">Landed commit · reason</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows}</tbody></table>`;
  });
  const attempts = run.tasks.flatMap((t) => t.attempts);
  return html`<dl class="facts">
<dt>Status</dt><dd id="run-status">${badge(run.status)}${run.cancelRequested && !FINAL_RUN.has(run.status) ? " (cancel requested)" : ""}${run.reason && run.status !== "succeeded" ? html` <span class="reason">${run.reason}</span>` : ""}</dd>
<dt>Progress</dt><dd><progress max="${Math.max(total, 1)}" value="${landed}" aria-label="${landed} of ${total} tasks landed"></progress> ${landed} of ${total} landed · ${run.counts.failed ?? 0} failed · ${run.counts.running ?? 0} running</dd>
<dt>Plan</dt><dd class="mono">${run.planPath ?? "(markdown)"}</dd>
<dt>Agent · workers · mode</dt><dd>${String(run.options.agent ?? "–")} · ${String(run.options.workers ?? "–")} · ${String(run.options.mode ?? "–")}</dd>
<dt>Integration branch</dt><dd class="mono">${run.integrationBranch} at ${short(run.integrationHead)}</dd>
<dt>Started · elapsed</dt><dd>${time(run.startedAt)} · ${duration(elapsed)}</dd>
<dt>Cost</dt><dd>${usd(run.costUsd)}</dd>
</dl>
<p>${runActions(run)}</p>
<h2>Tasks</h2>
${batches}
<h2 id="timeline-h">Timeline</h2>
<p class="legend"><span><i style="background:#15803d"></i>ok</span><span><i style="background:#b91c1c"></i>failed</span><span><i style="background:#2563eb"></i>running</span><span><i style="background:#57534e"></i>cancelled</span><span><i style="background:#facc15"></i>merge (diamond)</span></p>
${timelineSvg(
  attempts.map((a) => ({ ...a })),
  merges,
  now,
)}`;
}

/** A page whose region `id` is fetched again from `part` on each `update` of the stream at `live`. */
export function liveRegion(id: string, live: string, part: string, inner: Html): Html {
  return html`<div sse-connect="${live}"><div id="${id}" hx-get="${part}" hx-trigger="sse:update" hx-swap="innerHTML">${inner}</div></div>`;
}

export interface AttemptLogs {
  attempt: AttemptRecord;
  agent: { text: string; end: number; truncated: boolean };
  setup: string;
  verify: string;
}

export function taskRegion(
  runId: string,
  task: TaskLike,
  agentName: string,
  logs: AttemptLogs[],
  diffHtml: Html | null,
  now: number,
): Html {
  const retry = ["failed", "skipped", "cancelled"].includes(task.status)
    ? html`<form class="inline" method="post" action="/ui/runs/${runId}/tasks/${task.taskId}/retry"><button type="submit">Retry ${task.taskId}</button></form>`
    : "";
  const rows = task.attempts.map(
    (a) => html`<tr data-attempt="${a.attempt}">
<td>${a.attempt}</td><td>${a.slotId ?? "–"}</td><td>${badge(a.status)}</td>
<td>${a.reason ? html`<span class="reason">${a.reason}</span>` : "–"}${a.exitCode !== null ? ` (exit ${a.exitCode})` : ""}${a.signal ? ` (${a.signal})` : ""}</td>
<td>${time(a.startedAt)}</td><td>${duration((a.finishedAt ?? now) - a.startedAt)}</td>
<td class="mono">${a.usage?.sessionId ?? "–"}</td><td>${count(a.usage?.turns)}</td>
<td>${count((a.usage?.inputTokens ?? 0) + (a.usage?.outputTokens ?? 0))}</td><td>${usd(a.usage?.costUsd ?? 0)}</td>
<td class="mono">${short(a.commit)}</td></tr>`,
  );
  const logSections = logs.map(({ attempt: a, agent, setup, verify }) => {
    const running = a.status === "running";
    const pane = running
      ? html`<div id="log-${a.attempt}-live" hx-preserve="true" sse-connect="/ui/runs/${runId}/tasks/${task.taskId}/attempts/${a.attempt}/log?start=${agent.end}" sse-close="end"><pre class="log agent-log" tabindex="0" aria-label="Agent output of attempt ${a.attempt}, streaming" sse-swap="line" hx-swap="beforeend">${agent.text}</pre></div>`
      : html`<pre class="log agent-log" tabindex="0" aria-label="Agent output of attempt ${a.attempt}">${agent.truncated ? "… (earlier output cut; the API's log route has all of it)\n" : ""}${agent.text || "(no output)"}</pre>`;
    return html`<section aria-labelledby="att-${a.attempt}"><h3 id="att-${a.attempt}">Attempt ${a.attempt} ${badge(a.status)}</h3>
<h4>Agent output</h4>${pane}
<details${setup ? raw(" open") : ""}><summary>Setup output</summary><pre class="log" tabindex="0">${setup || "(none)"}</pre></details>
<details${verify ? raw(" open") : ""}><summary>Verification output</summary><pre class="log" tabindex="0">${verify || "(none)"}</pre></details>
</section>`;
  });
  return html`<dl class="facts">
<dt>Status</dt><dd id="task-status">${badge(task.status)}${task.reason ? html` <span class="reason">${task.reason}</span>` : ""} ${retry}</dd>
<dt>Agent</dt><dd>${agentName}</dd>
<dt>Attempts</dt><dd>${task.attempts.length} of ${task.maxAttempts}</dd>
<dt>Base · result · landed</dt><dd class="mono">${short(task.baseCommit)} · ${short(task.resultCommit)} · ${short(task.landedCommit)}</dd>
</dl>
<h2>Attempts</h2>
${task.attempts.length === 0 ? html`<p class="empty">Not started yet.</p>` : html`<table><caption class="visually-hidden">Attempts of task ${task.taskId}</caption><thead><tr><th scope="col">#</th><th scope="col">Slot</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Started</th><th scope="col">Time</th><th scope="col">Session</th><th scope="col">Turns</th><th scope="col">Tokens</th><th scope="col">Cost</th><th scope="col">Commit</th></tr></thead><tbody>${rows}</tbody></table>`}
${logSections}
<h2>Diff</h2>
${diffHtml ?? html`<p class="empty">No commit yet.</p>`}`;
}

export function loginPage(next: string, error?: string): Html {
  return layout(
    "Log in",
    html`<h1>Log in</h1>
<p>This server wants its token. It is kept in an HttpOnly cookie for this site only.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/ui/login">
<input type="hidden" name="next" value="${next}">
<p><label for="f-token">Token <input id="f-token" name="token" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit" class="primary">Log in</button></p>
</form>`,
  );
}

export function errorPage(status: number, message: string): Html {
  return layout(
    `Error ${status}`,
    html`<h1>Error ${status}</h1><p class="error" role="alert">${message}</p><p><a href="/ui/">Back to the runs</a></p>`,
  );
}
