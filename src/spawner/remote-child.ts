import { EventEmitter } from "node:events";

/** What a RemoteChild asks of the child's pipes in the spawner process. */
export type RemoteControl =
  | { type: "pause" | "resume" | "destroy" | "end" }
  | { type: "write"; data: string };

/** One output pipe of a child started by a spawner: `data` events; pause/resume reach the real pipe. */
export class RemoteStream extends EventEmitter {
  constructor(private readonly control: (message: RemoteControl) => void) {
    super();
  }

  pause(): this {
    this.control({ type: "pause" });
    return this;
  }

  resume(): this {
    this.control({ type: "resume" });
    return this;
  }

  destroy(): this {
    this.control({ type: "destroy" });
    return this;
  }
}

/** The stdin of a child started with `openStdin`: text written in order, then closed. */
export class RemoteStdin {
  constructor(private readonly control: (message: RemoteControl) => void) {}

  write(data: string): void {
    this.control({ type: "write", data });
  }

  end(): void {
    this.control({ type: "end" });
  }
}

/**
 * A child process started by a spawner process, with the parts of ChildProcess that Orchard's process
 * runner uses: `pid`, `stdout`/`stderr` emitting `data`, and the `spawn`, `error`, `exit` and `close`
 * events in the order Node emits them. Its input was handed over at start and `stdin` is null, unless it
 * was started with `openStdin`.
 */
export class RemoteChild extends EventEmitter {
  pid: number | undefined;
  /**
   * When the program was running, on this process's `performance.now()` clock: the spawner saw it a
   * little before this process hears of it (its message waits for this event loop).
   */
  spawnedAt: number | undefined;
  readonly stdin: RemoteStdin | null;
  readonly stdout: RemoteStream;
  readonly stderr: RemoteStream;

  constructor(control: (message: RemoteControl) => void, openStdin = false) {
    super();
    this.stdin = openStdin ? new RemoteStdin(control) : null;
    this.stdout = new RemoteStream(control);
    this.stderr = new RemoteStream(control);
  }
}
