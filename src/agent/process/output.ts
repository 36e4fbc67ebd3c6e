import type { ChildProcess } from "node:child_process";
import { LineSplitter } from "./lines.js";
import type { LogSink } from "./log.js";
import type { OutputStream } from "./options.js";
import { Tail } from "./tail.js";

export interface Output {
  /** Delivers the unterminated last lines; call once the streams have closed. */
  flush(): void;
  tails(): { stdoutTail: string; stderrTail: string };
}

/**
 * Streams the child's stdout and stderr line by line to the log and to `onLine`, keeping only a bounded
 * tail of each. When the log falls behind, the child's pipes are paused until it drains, so a fast
 * writer costs no memory: it simply waits, as it would on a terminal.
 */
export function pipeOutput(
  child: ChildProcess,
  log: LogSink,
  onActivity: () => void,
  onLine?: (line: string, stream: OutputStream) => void,
  scrub: (line: string) => string = (line) => line,
): Output {
  const tails = { stdout: new Tail(), stderr: new Tail() };
  const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  const deliver = (raw: string[], stream: OutputStream) => {
    if (raw.length === 0) return;
    const lines = raw.map(scrub);
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
      tails[stream].push(chunk);
      deliver(splitters[stream].push(chunk), stream);
    });
  }

  return {
    flush() {
      deliver(splitters.stdout.end(), "stdout");
      deliver(splitters.stderr.end(), "stderr");
    },
    tails: () => ({ stdoutTail: tails.stdout.toString(), stderrTail: tails.stderr.toString() }),
  };
}
