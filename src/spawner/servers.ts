import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";
import type { SpawnResult } from "./pool.js";
import { PYTHON_SPAWNER_SOURCE } from "./python-source.js";
import { SPAWNER_SOURCE } from "./source.js";

/** Which spawner processes start children: `python` falls back to `node` where no python3 works. */
export type SpawnerKind = "python" | "node";

/** What a spawner process says about a job (a Python one's messages are translated: fromPython). */
export type ServerMessage =
  | { id: number; type: "pid"; pid: number }
  | { id: number; type: "done"; result: SpawnResult }
  | { id: number; type: "spawn"; pid: number; at: number }
  | { id: number; type: "data"; stream: "stdout" | "stderr"; chunk: Uint8Array }
  | { id: number; type: "error"; code?: string; message: string }
  | { id: number; type: "exit" | "close"; code: number | null; signal: NodeJS.Signals | null };

/** A spawner process as the pool talks to it, whichever runtime it is. */
export interface Server {
  readonly process: ChildProcess;
  /** It answered (Python: its first message); until then it may turn out not to work at all. */
  confirmed: boolean;
  send(message: object): void;
  ref(): void;
  unref(): void;
}

type OnMessage = (server: Server, message: ServerMessage | { type: "ready" }) => void;

/**
 * `process.hrtime` minus `performance.now()`, in ms: hrtime reads CLOCK_MONOTONIC, as Python's
 * `time.monotonic` does, so a Python spawner's moment converts to this process's `performance.now()`.
 */
const hrtimeOffsetMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** A Node spawner process (source.ts), spoken to over an IPC channel. */
export function nodeServer(onMessage: OnMessage): Server {
  const proc = spawn(process.execPath, ["-e", SPAWNER_SOURCE], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    serialization: "advanced",
    // A spawner must not inherit flags meant for Orchard (inspectors, loaders, heap limits).
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  const server: Server = {
    process: proc,
    confirmed: true,
    send: (message) => {
      if (proc.connected) proc.send(message);
    },
    ref: () => {
      proc.ref();
      proc.channel?.ref();
    },
    unref: () => {
      proc.unref();
      proc.channel?.unref();
    },
  };
  proc.on("message", (m: ServerMessage) => onMessage(server, m));
  return server;
}

/** A Python spawner process (python-source.ts) run by `interpreter`, spoken to in JSON lines. */
export function pythonServer(interpreter: string, onMessage: OnMessage): Server {
  // -I: no PYTHON* variables, no user site; -S: no site-packages at all: only the standard library.
  const proc = spawn(interpreter, ["-I", "-S", "-c", PYTHON_SPAWNER_SOURCE], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const server: Server = {
    process: proc,
    confirmed: false,
    send: (message) => {
      if (proc.stdin?.writable) proc.stdin.write(`${JSON.stringify(message)}\n`);
    },
    ref: () => {
      proc.ref();
      (proc.stdin as Socket | null)?.ref();
      (proc.stdout as Socket | null)?.ref();
    },
    unref: () => {
      proc.unref();
      (proc.stdin as Socket | null)?.unref();
      (proc.stdout as Socket | null)?.unref();
    },
  };
  // Gone before Orchard wrote everything: the exit the pool watches for says so.
  proc.stdin?.on("error", () => {});
  let partial = "";
  // Its lines are JSON with every non-ASCII character escaped: any chunk boundary is a character's.
  proc.stdout?.setEncoding("latin1");
  proc.stdout?.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    for (const line of lines) onMessage(server, fromPython(JSON.parse(line) as PythonMessage));
  });
  return server;
}

type PythonMessage =
  | ServerMessage
  | { type: "ready" }
  | { id: number; type: "spawn"; pid: number; mono: number }
  | { id: number; type: "data"; stream: "stdout" | "stderr"; b64: string };

/** A Python spawner's message in the Node spawner's terms: bytes as bytes, times on Node's clock. */
function fromPython(m: PythonMessage): ServerMessage | { type: "ready" } {
  if (m.type === "spawn" && "mono" in m) {
    return { id: m.id, type: "spawn", pid: m.pid, at: m.mono - hrtimeOffsetMs + performance.timeOrigin };
  }
  if (m.type === "data" && "b64" in m) {
    return { id: m.id, type: "data", stream: m.stream, chunk: Buffer.from(m.b64, "base64") };
  }
  return m as ServerMessage | { type: "ready" };
}
