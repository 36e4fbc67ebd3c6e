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

const nullSink: LogSink = {
  write: () => true,
  onDrain: (cb) => cb(),
  close: async () => {},
};

/** Opens the log for appending, with a header naming the command (argv redacted; env never written). */
export async function openLog(path: string | undefined, argv: string[], cwd: string): Promise<LogSink> {
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
  return {
    write: (text) => failed || stream.write(text),
    onDrain: (cb) => (failed ? cb() : waiting.push(cb)),
    close: (footer) =>
      new Promise((resolve) => {
        if (failed) return resolve();
        stream.end(`# ${footer}\n`, () => resolve());
      }),
  };
}

/** A word as a person would paste it into a shell: bare when safe, else single-quoted. */
const shellWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`);
