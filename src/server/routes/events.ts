import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { attemptLog, eventsAfter, loadRun, readLog } from "../../engine/index.js";
import type { EventRecord } from "../../store/index.js";
import type { ServerContext } from "../context.js";
import { EventsQuery, flag, LogQuery, LogResponse, RunParams, TaskParams } from "../native/schemas.js";
import { resumePoint, SseStream } from "../sse.js";
import { errors } from "./runs.js";

const PAGE = 500;
const SSE = z
  .string()
  .describe(
    "text/event-stream: each event's `id` is its sequence number in the store's log; reconnect with Last-Event-ID",
  );

/** Live events (server-sent, from the store's append-only log) and an attempt's logs, read or followed. */
export const eventRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (plugin, { ctx }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  const { config, store } = ctx;
  const limits = {
    heartbeatMs: config.heartbeatMs,
    maxBufferBytes: config.maxStreamBufferBytes,
    drainTimeoutMs: config.streamDrainTimeoutMs,
  };

  /** Sends every event after the resume point, in seq order, then each new one as the store gets it. */
  const stream = async (stream: SseStream, runId: string | null, after: number) => {
    let last = after;
    while (!stream.closed) {
      let page: EventRecord[];
      try {
        page = await eventsAfter(store, runId, last, PAGE);
      } catch {
        stream.close();
        return;
      }
      for (const e of page) {
        const data = JSON.stringify({ seq: e.seq, runId: e.runId, type: e.type, at: e.at, data: e.data });
        if (!(await stream.send({ id: e.seq, event: e.type, data }))) return;
        last = e.seq;
      }
      if (page.length < PAGE) await stream.idle(config.pollMs);
    }
  };

  app.get(
    "/api/runs/:runId/events",
    {
      schema: {
        tags: ["events"],
        summary: "a run's events as server-sent events (Last-Event-ID or ?after= resumes)",
        params: RunParams,
        querystring: EventsQuery,
        response: { 200: SSE, ...errors },
      },
    },
    async (request, reply) => {
      const run = await loadRun(store, request.params.runId);
      const sse = new SseStream(request, reply, limits, ctx.closing);
      void stream(sse, run.id, resumePoint(request, request.query.after));
    },
  );

  app.get(
    "/api/events",
    {
      schema: {
        tags: ["events"],
        summary: "every run's events as server-sent events (Last-Event-ID or ?after= resumes)",
        querystring: EventsQuery,
        response: { 200: SSE, ...errors },
      },
    },
    async (request, reply) => {
      const sse = new SseStream(request, reply, limits, ctx.closing);
      void stream(sse, null, resumePoint(request, request.query.after));
    },
  );

  app.get(
    "/api/runs/:runId/tasks/:taskId/log",
    {
      schema: {
        tags: ["runs"],
        summary:
          "an attempt's log (agent, setup or verify): ?tail=N lines, ?start=&end= or a Range header for bytes; ?follow=1 streams its lines as server-sent events",
        params: TaskParams,
        querystring: LogQuery,
        response: { 200: LogResponse, 206: LogResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { runId, taskId } = request.params;
      const q = request.query;
      const located = await attemptLog(store, runId, taskId, {
        ...(q.attempt === undefined ? {} : { attempt: q.attempt }),
        kind: q.kind,
      });
      if (flag(q.follow)) {
        const sse = new SseStream(request, reply, limits, ctx.closing);
        const attempt = located.attempt.attempt;
        void followLog(sse, resumePoint(request, q.start), async () => {
          // The log's path is recorded once the attempt has its slot: look again until it is there.
          const now = await attemptLog(store, runId, taskId, { attempt, kind: q.kind });
          return { path: now.path, finished: now.attempt.finishedAt !== null };
        });
        return reply;
      }
      const range = byteRange(request.headers.range);
      const slice = await readLog(located.path, {
        ...(range ?? {}),
        ...(q.start === undefined ? {} : { start: q.start }),
        ...(q.end === undefined ? {} : { end: q.end }),
        ...(q.tail === undefined ? {} : { tail: q.tail }),
      });
      if (range) {
        reply
          .code(206)
          .header(
            "content-range",
            `bytes ${slice.start}-${Math.max(slice.start, slice.end - 1)}/${slice.size}`,
          );
      }
      return { taskId, attempt: located.attempt.attempt, kind: q.kind, ...slice };
    },
  );

  /** Sends a log's complete lines from byte `from` on (each line's `id` is the offset after it) until it is done. */
  async function followLog(
    sse: SseStream,
    from: number,
    locate: () => Promise<{ path: string | null; finished: boolean }>,
  ) {
    let offset = from;
    while (!sse.closed) {
      const { path, finished: done } = await locate().catch(() => ({ path: null, finished: true }));
      const slice = await readLog(path, { start: offset });
      const cut = slice.text.lastIndexOf("\n");
      // A line still being written waits for its newline; at the end the rest goes out as it is.
      const whole = done ? slice.text : slice.text.slice(0, cut + 1);
      const lines = whole === "" ? [] : whole.split("\n");
      if (whole.endsWith("\n")) lines.pop();
      for (const line of lines) {
        offset += Buffer.byteLength(line) + 1;
        if (!(await sse.send({ id: Math.min(offset, slice.end), event: "line", data: line }))) return;
      }
      if (done) {
        await sse.send({ event: "end", data: JSON.stringify({ offset: slice.end }) });
        sse.close();
        return;
      }
      await sse.idle(config.pollMs);
    }
  }
};

/** `Range: bytes=a-b` (one range; `bytes=-n` is the last n bytes); anything else is ignored, as RFC 9110 allows. */
function byteRange(header: string | undefined): { start?: number; end?: number } | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") return { start: -Number(m[2]) };
  return { start: Number(m[1]), ...(m[2] === "" ? {} : { end: Number(m[2]) + 1 }) };
}
