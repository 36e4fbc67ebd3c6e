import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import type { Socket } from "node:net";
import { delimiter, join } from "node:path";
import { killGroup } from "./kill.js";
import { PYTHON_SPAWNER_SOURCE } from "./python-source.js";
import { RemoteChild } from "./remote-child.js";
import { SPAWNER_SOURCE } from "./source.js";

/** What one buffered run did; the same shape whether it succeeded, failed or was killed. */
export interface SpawnResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed by a signal or could not start. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  input?: string;
  timeoutMs: number;
}

export interface StartOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  input?: string;
  /** Keeps the child's stdin open for `RemoteChild.stdin` (no `input` then). */
  openStdin?: boolean;
}

type ServerMessage =
  | { id: number; type: "pid"; pid: number }
  | { id: number; type: "done"; result: SpawnResult }
  | { id: number; type: "spawn"; pid: number; at: number }
  | { id: number; type: "data"; stream: "stdout" | "stderr"; chunk: Uint8Array }
  | { id: number; type: "error"; code?: string; message: string }
  | { id: number; type: "exit" | "close"; code: number | null; signal: NodeJS.Signals | null };

type Job =
  | {
      kind: "run";
      server: Server;
      resolve: (r: SpawnResult) => void;
      reject: (e: Error) => void;
      pid?: number;
      /** What was sent to a spawner not yet known to work: sent again to another if it fails to start. */
      unconfirmed?: object[];
    }
  | { kind: "start"; server: Server; child: RemoteChild; unconfirmed?: object[] };

/** Which spawner processes start children: `python` falls back to `node` where no python3 works. */
export type SpawnerKind = "python" | "node";

/** A spawner process as the pool talks to it, whichever runtime it is. */
interface Server {
  readonly kind: SpawnerKind;
  readonly process: ChildProcess;
  /** It answered (Python: its first message); until then it may turn out not to work at all. */
  confirmed: boolean;
  send(message: object): void;
  ref(): void;
  unref(): void;
}

/**
 * `process.hrtime` minus `performance.now()`, in ms: hrtime reads CLOCK_MONOTONIC, as Python's
 * `time.monotonic` does, so a Python spawner's moment converts to this process's `performance.now()`.
 */
const hrtimeOffsetMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/**
 * Starts Orchard's child processes (git, agents, verification commands) from small spawner processes.
 * A fork copies the page tables of the process that forks, so its cost grows with that process's
 * memory: 2.7 ms from a bare Node process, 16 ms from one of 250 MB (measured here, docs/benchmarks.md),
 * and Node forks on the calling thread. Orchard's engine holds 100+ MB: every child it forked itself
 * cost ~10 ms of its event loop. A spawner beside it forks for a fraction of that, and the engine never
 * blocks on a fork at all. The spawners are Python processes on Linux where a python3 works
 * (python-source.ts: CPython starts children with vfork, a third of Node's CPU per child), else Node
 * processes (source.ts); defaultKind decides.
 */
export class Spawner {
  private readonly servers: Server[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private turn = 0;
  private exitHookInstalled = false;
  /** Process groups still running, killed if Orchard exits before they end. */
  readonly liveGroups = new Set<number>();
  private kind: SpawnerKind;

  constructor(
    private readonly size = 2,
    kind: SpawnerKind = defaultKind(),
  ) {
    this.kind = kind;
  }

  /** The runtime of the spawner processes started from now on. */
  get runtime(): SpawnerKind {
    return this.kind;
  }

  /** Runs `file args` to the end and collects its output (git). */
  run(file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
    const id = this.nextId++;
    return new Promise<SpawnResult>((resolve, reject) => {
      const server = this.pick();
      this.add(id, { kind: "run", server, resolve, reject });
      this.dispatch(id, { type: "run", id, file, args: [...args], ...opts });
    });
  }

  /** Starts `file args` and streams its output and exit back as a ChildProcess would. */
  start(file: string, args: readonly string[], opts: StartOptions): RemoteChild {
    const server = this.pick();
    const id = this.nextId++;
    const child = new RemoteChild((message) => {
      if (this.jobs.has(id)) this.dispatch(id, { ...message, id });
    }, opts.openStdin ?? false);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.env)) if (value !== undefined) env[key] = value;
    this.add(id, { kind: "start", server, child });
    this.dispatch(id, {
      type: "start",
      id,
      file,
      args: [...args],
      cwd: opts.cwd,
      env,
      input: opts.openStdin ? undefined : opts.input,
      openStdin: opts.openStdin ?? false,
    });
    return child;
  }

  /** The spawner processes now running (their CPU, and their children's, is Orchard's too). */
  pids(): number[] {
    return this.servers.map((s) => s.process.pid).filter((pid): pid is number => pid !== undefined);
  }

  private dispatch(id: number, message: object): void {
    const job = this.jobs.get(id)!;
    if (!job.server.confirmed) {
      job.unconfirmed ??= [];
      job.unconfirmed.push(message);
    }
    job.server.send(message);
  }

  private onMessage(server: Server, m: ServerMessage | { type: "ready" }): void {
    if (m.type === "ready") {
      this.confirm(server);
      return;
    }
    const job = this.jobs.get(m.id);
    if (!job) return;
    if (job.kind === "run") {
      if (m.type === "pid") {
        job.pid = m.pid;
        this.liveGroups.add(m.pid);
      } else if (m.type === "done") {
        this.remove(m.id, job.pid);
        job.resolve(m.result);
      }
      return;
    }
    const { child } = job;
    switch (m.type) {
      case "spawn":
        child.pid = m.pid;
        child.spawnedAt = m.at - performance.timeOrigin;
        this.liveGroups.add(m.pid);
        child.emit("spawn");
        break;
      case "data":
        child[m.stream].emit("data", Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
        break;
      case "error":
        child.emit("error", Object.assign(new Error(m.message), { code: m.code }));
        break;
      case "exit":
        child.emit("exit", m.code, m.signal);
        break;
      case "close":
        this.remove(m.id, child.pid);
        child.emit("close", m.code, m.signal);
        break;
    }
  }

  private confirm(server: Server): void {
    server.confirmed = true;
    for (const job of this.jobs.values()) if (job.server === server) delete job.unconfirmed;
  }

  private pick(): Server {
    if (this.servers.length < this.size) {
      this.installExitHook();
      const server = this.kind === "python" ? this.python() : this.node();
      this.servers.push(server);
      // Referenced while it has work (add, remove): a new one joins the others' state.
      if (this.jobs.size > 0) server.ref();
      else server.unref();
      return server;
    }
    const server = this.servers[this.turn % this.servers.length]!;
    this.turn++;
    return server;
  }

  private node(): Server {
    const proc = spawn(process.execPath, ["-e", SPAWNER_SOURCE], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
      // A spawner must not inherit flags meant for Orchard (inspectors, loaders, heap limits).
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    const server: Server = {
      kind: "node",
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
    proc.on("message", (m: ServerMessage) => this.onMessage(server, m));
    this.watch(server);
    return server;
  }

  private python(): Server {
    // -I: no PYTHON* variables, no user site; -S: no site-packages at all: only the standard library.
    const proc = spawn(findPython(process.env) ?? "python3", ["-I", "-S", "-c", PYTHON_SPAWNER_SOURCE], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const server: Server = {
      kind: "python",
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
    // Gone before Orchard wrote everything: the exit below says so.
    proc.stdin?.on("error", () => {});
    let partial = "";
    // Its lines are JSON with every non-ASCII character escaped: any chunk boundary is a character's.
    proc.stdout?.setEncoding("latin1");
    proc.stdout?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) this.onMessage(server, fromPython(JSON.parse(line) as PythonMessage));
    });
    this.watch(server);
    return server;
  }

  private watch(server: Server): void {
    server.process.on("exit", (code, signal) => this.lose(server, `exited (${signal ?? code})`));
    server.process.on("error", (err) => this.lose(server, err.message));
  }

  /**
   * Kills the groups still running when Orchard exits normally; when it is killed outright, the spawner
   * processes see their channel close and do the same.
   */
  private installExitHook(): void {
    if (this.exitHookInstalled) return;
    this.exitHookInstalled = true;
    process.once("exit", () => {
      for (const pid of this.liveGroups) killGroup(pid, "SIGKILL");
    });
  }

  private add(id: number, job: Job): void {
    // Keeps Orchard alive while children run (an idle spawner must not).
    if (this.jobs.size === 0) for (const s of this.servers) s.ref();
    this.jobs.set(id, job);
  }

  private remove(id: number, pid: number | undefined): void {
    this.jobs.delete(id);
    if (pid !== undefined) this.liveGroups.delete(pid);
    if (this.jobs.size === 0) for (const s of this.servers) s.unref();
  }

  /**
   * A spawner that died takes its jobs with it (they fail); the next call starts a new one. A Python
   * spawner that never answered (no python3, or one too old) started nothing: its jobs go to a Node
   * spawner, and so does everything after.
   */
  private lose(server: Server, why: string): void {
    const index = this.servers.indexOf(server);
    if (index < 0) return;
    this.servers.splice(index, 1);
    const mine = [...this.jobs].filter(([, job]) => job.server === server);
    if (!server.confirmed) {
      this.kind = "node";
      for (const [, job] of mine) {
        job.server = this.pick();
        for (const message of job.unconfirmed ?? []) job.server.send(message);
      }
      return;
    }
    for (const [id, job] of mine) {
      if (job.kind === "run") {
        this.remove(id, job.pid);
        job.reject(new Error(`spawner process ${why}`));
      } else {
        this.remove(id, job.child.pid);
        job.child.emit("error", new Error(`spawner process ${why}`));
        job.child.emit("exit", null, null);
        job.child.emit("close", null, null);
      }
    }
  }
}

/**
 * Python where it is known to be worth it: Linux, where CPython spawns with vfork, and an interpreter
 * that starts without a shim. `ORCHARD_SPAWN=node` or `=python` chooses (`=inline` spawns from
 * Orchard's own process: git/spawn.ts, run-process.ts).
 */
function defaultKind(): SpawnerKind {
  const asked = process.env.ORCHARD_SPAWN;
  if (asked === "node" || asked === "python") return asked;
  return process.platform === "linux" && findPython(process.env) !== null ? "python" : "node";
}

const SYSTEM_PYTHONS = ["/usr/bin/python3", "/usr/local/bin/python3"];

/**
 * The python3 a Python spawner runs: `ORCHARD_PYTHON`, else the system's, else the first on the PATH
 * unless that is a script — a version manager's shim (pyenv, asdf) is a shell script that costs a
 * quarter of a second to start the interpreter, more than Node's spawner costs to start, on every
 * `orchard` command. The spawner needs nothing but the standard library of any python3 from 3.7 on.
 * Null when there is none worth using.
 */
export function findPython(env: NodeJS.ProcessEnv, systemPythons = SYSTEM_PYTHONS): string | null {
  if (env.ORCHARD_PYTHON) return env.ORCHARD_PYTHON;
  for (const candidate of systemPythons) if (executable(candidate)) return candidate;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "python3");
    if (!executable(candidate)) continue;
    return startsWithShebang(candidate) ? null : candidate;
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function startsWithShebang(path: string): boolean {
  const head = Buffer.alloc(2);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString("latin1") === "#!";
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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

let shared: Spawner | undefined;

/** The process's spawner, started on first use. */
export function spawner(): Spawner {
  shared ??= new Spawner();
  return shared;
}

/** Pids of the spawner processes (for CPU accounting in `orchard bench`). */
export function spawnerPids(): number[] {
  return shared?.pids() ?? [];
}
