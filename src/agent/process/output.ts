import type { ChildProcess } from "node:child_process";
import { LineSplitter, type Scrubber } from "./lines.js";
import type { LogSink } from "./log.js";
import type { OutputStream } from "./options.js";

export interface Output {
  /** Delivers the unterminated last lines; call once the streams have closed. */
  flush(): void;
}

/**
 * Streams the child's stdout and stderr line by line, secrets masked, to the log and to `onLine`,
 * holding none of it. When the log falls behind, the child's pipes are paused until it drains, so a fast
 * writer costs no memory: it simply waits, as it would on a terminal.
 */
export function pipeOutput(
  child: ChildProcess,
  log: LogSink,
  onActivity: () => void,
  onLine: ((line: string, stream: OutputStream) => void) | undefined,
  scrub: Scrubber,
): Output {
  const splitters = { stdout: new LineSplitter(scrub), stderr: new LineSplitter(scrub) };

  const deliver = (lines: string[], stream: OutputStream) => {
    if (lines.length === 0) return;
    if (!log.write(`${lines.join("\n")}\n`)) {
      child.stdout?.pause();
      child.stderr?.pause();
      log.onDrain(() => {
        child.stdout?.resume();
        child.stderr?.resume();
      });
    }
    if (!onLine) return;
    for (const line of lines) {
      try {
        onLine(line, stream);
      } catch {
        // A failing listener must not break the supervision of the child.
      }
    }
  };

  for (const stream of ["stdout", "stderr"] as const) {
    child[stream]?.on("data", (chunk: Buffer) => {
      onActivity();
      deliver(splitters[stream].push(chunk), stream);
    });
  }

  return {
    flush() {
      deliver(splitters.stdout.end(), "stdout");
      deliver(splitters.stderr.end(), "stderr");
    },
  };
}
