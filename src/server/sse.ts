import { once } from "node:events";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface SseLimits {
  heartbeatMs: number;
  /** Past this many bytes waiting for a slow client, the stream waits for it to drain … */
  maxBufferBytes: number;
  /** … this long, then closes it (the client reconnects with Last-Event-ID and loses nothing). */
  drainTimeoutMs: number;
}

/**
 * One server-sent-event stream on a hijacked reply. Writes wait while the client is slow, so what is
 * buffered for it stays under `maxBufferBytes` plus one message; a client that does not read at all is
 * dropped. Comment lines keep an idle stream open through proxies.
 */
export class SseStream {
  readonly #raw: FastifyReply["raw"];
  readonly #ended = new AbortController();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    private readonly limits: SseLimits,
    closing: AbortSignal,
  ) {
    reply.hijack();
    this.#raw = reply.raw;
    this.#raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.#raw.write("retry: 1000\n\n");
    const end = () => this.close();
    request.raw.on("close", end);
    this.#raw.on("close", end);
    this.#raw.on("error", end);
    if (closing.aborted) queueMicrotask(end);
    else {
      closing.addEventListener("abort", end, { once: true });
      this.#ended.signal.addEventListener("abort", () => closing.removeEventListener("abort", end));
    }
    this.#heartbeat = setInterval(() => {
      // A heartbeat only where nothing is waiting to go out: it must never add to a slow client's buffer.
      if (this.#raw.writableLength === 0) this.#raw.write(": heartbeat\n\n");
    }, limits.heartbeatMs);
  }

  get signal(): AbortSignal {
    return this.#ended.signal;
  }

  get closed(): boolean {
    return this.#ended.signal.aborted;
  }

  /** Sends one event; resolves when the client can take more. False once the stream is closed. */
  async send(event: { id?: string | number; event?: string; data: string }): Promise<boolean> {
    if (this.closed) return false;
    let text = "";
    if (event.id !== undefined) text += `id: ${event.id}\n`;
    if (event.event) text += `event: ${event.event}\n`;
    for (const line of event.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
    this.#raw.write(`${text}\n`);
    if (this.#raw.writableLength > this.limits.maxBufferBytes) await this.#drain();
    return !this.closed;
  }

  /** Waits `ms`, or less if the stream closes. */
  async idle(ms: number): Promise<void> {
    if (this.closed) return;
    const signal = this.signal;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  close(): void {
    if (this.closed) return;
    this.#ended.abort();
    clearInterval(this.#heartbeat);
    if (!this.#raw.destroyed) this.#raw.end();
  }

  async #drain(): Promise<void> {
    const timeout = AbortSignal.timeout(this.limits.drainTimeoutMs);
    try {
      await once(this.#raw, "drain", { signal: AbortSignal.any([timeout, this.signal]) });
    } catch {
      if (!this.closed) {
        // The client stopped reading: drop it rather than buffer without bound.
        this.#ended.abort();
        clearInterval(this.#heartbeat);
        this.#raw.destroy();
      }
    }
  }
}

/** Where a stream resumes: the `Last-Event-ID` header a reconnecting client sends, or `?after=`. */
export function resumePoint(request: FastifyRequest, after: number | undefined): number {
  const header = request.headers["last-event-id"];
  const value = Number(Array.isArray(header) ? header[0] : header);
  if (header !== undefined && Number.isInteger(value) && value >= 0) return value;
  return after ?? 0;
}
