import { type Html, html } from "./html.js";

export interface TimelineAttempt {
  taskId: string;
  attempt: number;
  slotId: string | null;
  workerId: string;
  status: string;
  startedAt: number;
  finishedAt: number | null;
}

export interface TimelineMerge {
  taskId: string;
  at: number;
}

const OUTCOME: Record<string, { fill: string; word: string }> = {
  running: { fill: "#2563eb", word: "running" },
  succeeded: { fill: "#15803d", word: "ok" },
  failed: { fill: "#b91c1c", word: "failed" },
  expired: { fill: "#a16207", word: "expired" },
  cancelled: { fill: "#57534e", word: "cancelled" },
};

const LANE_H = 34;
const LEFT = 110;
const WIDTH = 900;
const TOP = 24;

/**
 * One lane per slot (per worker host and slot when several hosts ran the run), a bar per attempt from
 * hand-off to report, coloured by outcome and labelled with it, and a mark at each landed task's merge.
 */
export function timelineSvg(attempts: TimelineAttempt[], merges: TimelineMerge[], now: number): Html {
  if (attempts.length === 0) {
    return html`<p class="empty">No attempt has started yet: the timeline fills in as tasks are handed out.</p>`;
  }
  const hosts = new Set(attempts.map((a) => a.workerId.split(":")[0]));
  const laneOf = (a: TimelineAttempt) => {
    const slot = a.slotId ?? "no slot";
    return hosts.size > 1 ? `${a.workerId.split(":")[0]} ${slot}` : slot;
  };
  const lanes = [...new Set(attempts.map(laneOf))].sort((x, y) =>
    x.localeCompare(y, "en", { numeric: true }),
  );
  const start = Math.min(...attempts.map((a) => a.startedAt));
  const end = Math.max(start + 1, ...attempts.map((a) => a.finishedAt ?? now), ...merges.map((m) => m.at));
  const span = Math.max(1, end - start);
  const x = (t: number) => LEFT + ((t - start) / span) * (WIDTH - LEFT - 10);
  const height = TOP + lanes.length * LANE_H + 10;
  const lastAttempt = new Map<string, TimelineAttempt>();
  for (const a of attempts) {
    const seen = lastAttempt.get(a.taskId);
    if (!seen || a.attempt > seen.attempt) lastAttempt.set(a.taskId, a);
  }
  const bars = attempts.map((a) => {
    const lane = lanes.indexOf(laneOf(a));
    const x0 = x(a.startedAt);
    const x1 = Math.max(x0 + 3, x(a.finishedAt ?? now));
    const y = TOP + lane * LANE_H + 4;
    const o = OUTCOME[a.status] ?? { fill: "#57534e", word: a.status };
    const label = `${a.taskId} #${a.attempt} ${o.word}`;
    return html`<g class="bar" data-task="${a.taskId}" data-attempt="${a.attempt}" data-lane="${laneOf(a)}" data-status="${a.status}" data-start="${a.startedAt}" data-end="${a.finishedAt ?? now}"><title>task ${a.taskId}, attempt ${a.attempt}, ${a.status}: ${laneOf(a)}, ${Math.round(((a.finishedAt ?? now) - a.startedAt) / 100) / 10} s</title><rect x="${x0.toFixed(1)}" y="${y}" width="${(x1 - x0).toFixed(1)}" height="${LANE_H - 8}" rx="3" fill="${o.fill}"/><text x="${(x0 + 4).toFixed(1)}" y="${y + LANE_H / 2}" class="bar-label">${label}</text></g>`;
  });
  const marks = merges.map((m) => {
    const a = lastAttempt.get(m.taskId);
    if (!a) return "";
    const lane = lanes.indexOf(laneOf(a));
    const mx = x(m.at);
    const y = TOP + lane * LANE_H + LANE_H / 2;
    return html`<g class="merge" data-task="${m.taskId}"><title>task ${m.taskId} merged</title><path d="M${mx.toFixed(1)} ${y - 8} l6 8 l-6 8 l-6 -8 z" fill="#facc15" stroke="#1c1917"/></g>`;
  });
  const laneRows = lanes.map(
    (l, i) =>
      html`<text x="4" y="${TOP + i * LANE_H + LANE_H / 2 + 4}" class="lane-label">${l}</text><line x1="${LEFT}" x2="${WIDTH - 10}" y1="${TOP + (i + 1) * LANE_H}" y2="${TOP + (i + 1) * LANE_H}" stroke="#d6d3d1"/>`,
  );
  const total = Math.round(span / 100) / 10;
  return html`<svg class="timeline" role="img" aria-labelledby="tl-title tl-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="tl-title">Timeline: ${attempts.length} attempts on ${lanes.length} slots over ${total} s</title><desc id="tl-desc">One lane per slot; a bar per attempt from hand-off to report, labelled with its task, attempt and outcome; a diamond marks each merge.</desc><text x="${LEFT}" y="14" class="axis">0 s</text><text x="${WIDTH - 10}" y="14" text-anchor="end" class="axis">${total} s</text>${laneRows}${bars}${marks}</svg>`;
}
