import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { redactArgv } from "./redact.js";

/** Where a process's output is appended. A null sink when no log path was given. */
export interface LogSink {
  /** False when the caller should wait for `onDrain` before writing more (backpressure). */
  write(text: string): boolean;
  onDrain(cb: () => void): void;
  close(footer: string): Promise<void>;
}

/** An agent's log keeps at most this much of its output by default: its head and its tail. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** The tail waits in memory until the close: half the cap, at most this (1 MiB is ~10,000 lines). */
const MAX_TAIL_BYTES = 1024 * 1024;

const nullSink: LogSink = {
  write: () => true,
  onDrain: (cb) => cb(),
  close: async () => {},
};

/**
 * Opens the log for appending, with a header naming the command (argv redacted; env never written).
 * Output past `maxBytes` is not written: the log keeps the head as it comes and the tail (half the cap,
 * at most 1 MiB) in memory until the close, with a line between them saying how much was dropped
 * (issue 20, item 8: 50 MB of output made a 50 MB log).
 */
export async function openLog(
  path: string | undefined,
  argv: string[],
  cwd: string,
  maxBytes = DEFAULT_LOG_MAX_BYTES,
): Promise<LogSink> {
  if (!path) return nullSink;
  mkdirSync(dirname(path), { recursive: true });
  const stream: WriteStream = createWriteStream(path, { flags: "a" });
  // A failing log (disk full) must not crash Orchard; the process result still stands.
  let failed = false;
  const waiting: Array<() => void> = [];
  stream.on("error", () => {
    failed = true;
    for (const cb of waiting.splice(0)) cb();
  });
  stream.on("drain", () => {
    for (const cb of waiting.splice(0)) cb();
  });
  stream.write(`# ${new Date().toISOString()} $ ${redactArgv(argv).map(shellWord).join(" ")}  (in ${cwd})\n`);
  const tail = new TailLines(Math.min(Math.floor(maxBytes / 2), MAX_TAIL_BYTES));
  let headLeft = maxBytes - tail.limit;
  return {
    write: (text) => {
      if (failed) return true;
      const size = Buffer.byteLength(text);
      if (size <= headLeft && tail.empty) {
        headLeft -= size;
        return stream.write(text);
      }
      headLeft = 0;
      tail.push(text, size);
      return true;
    },
    onDrain: (cb) => (failed ? cb() : waiting.push(cb)),
    close: (footer) =>
      new Promise((resolve) => {
        if (failed) return resolve();
        if (tail.droppedBytes > 0) stream.write(`[orchard: ${mib(tail.droppedBytes)} MiB dropped]\n`);
        stream.end(`${tail.text()}# ${footer}\n`, () => resolve());
      }),
  };
}

/** The last `limit` bytes of what was written, in whole writes where they fit, and how much went. */
class TailLines {
  private readonly parts: Array<{ text: string; size: number }> = [];
  private size = 0;
  droppedBytes = 0;

  constructor(readonly limit: number) {}

  get empty(): boolean {
    return this.parts.length === 0 && this.droppedBytes === 0;
  }

  push(text: string, size: number): void {
    this.parts.push({ text, size });
    this.size += size;
    while (this.size > this.limit && this.parts.length > 0) {
      const first = this.parts[0]!;
      if (this.parts.length === 1) {
        // One write larger than the whole tail: keep its end.
        const kept = Buffer.from(first.text)
          .subarray(first.size - this.limit)
          .toString("utf8");
        this.parts[0] = { text: kept, size: Buffer.byteLength(kept) };
        this.droppedBytes += first.size - this.parts[0].size;
        this.size = this.parts[0].size;
        break;
      }
      this.parts.shift();
      this.size -= first.size;
      this.droppedBytes += first.size;
    }
  }

  text(): string {
    return this.parts.map((p) => p.text).join("");
  }
}

const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

/** A word as a person would paste it into a shell: bare when safe, else single-quoted. */
const shellWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`);
