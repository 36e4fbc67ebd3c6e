import { EventEmitter } from "node:events";

/** One output pipe of a child started by a spawner: `data` events; pause/resume reach the real pipe. */
export class RemoteStream extends EventEmitter {
  constructor(private readonly control: (action: "pause" | "resume" | "destroy") => void) {
    super();
  }

  pause(): this {
    this.control("pause");
    return this;
  }

  resume(): this {
    this.control("resume");
    return this;
  }

  destroy(): this {
    this.control("destroy");
    return this;
  }
}

/**
 * A child process started by a spawner process, with the parts of ChildProcess that Orchard's process
 * runner uses: `pid`, `stdout`/`stderr` emitting `data`, and the `spawn`, `error`, `exit` and `close`
 * events in the order Node emits them. Its input was handed over at start; `stdin` is null.
 */
export class RemoteChild extends EventEmitter {
  pid: number | undefined;
  readonly stdin = null;
  readonly stdout: RemoteStream;
  readonly stderr: RemoteStream;

  constructor(control: (action: "pause" | "resume" | "destroy") => void) {
    super();
    this.stdout = new RemoteStream(control);
    this.stderr = new RemoteStream(control);
  }
}
