import { type ChildProcess, spawn } from "node:child_process";
import { killGroup } from "./kill.js";
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
      server: ChildProcess;
      resolve: (r: SpawnResult) => void;
      reject: (e: Error) => void;
      pid?: number;
    }
  | { kind: "start"; server: ChildProcess; child: RemoteChild };

/**
 * Starts Orchard's child processes (git, agents, verification commands) from small spawner processes.
 * A fork copies the page tables of the process that forks, so its cost grows with that process's
 * memory: 2.7 ms from a bare Node process, 16 ms from one of 250 MB (measured here, docs/benchmarks.md),
 * and Node forks on the calling thread. Orchard's engine holds 100+ MB: every child it forked itself
 * cost ~10 ms of its event loop. A bare Node process beside it forks for a fraction of that, and the
 * engine never blocks on a fork at all.
 */
export class Spawner {
  private readonly servers: ChildProcess[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private turn = 0;
  private exitHookInstalled = false;
  /** Process groups still running, killed if Orchard exits before they end. */
  readonly liveGroups = new Set<number>();

  constructor(private readonly size = 2) {}

  /** Runs `file args` to the end and collects its output (git). */
  run(file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
    const server = this.pick();
    const id = this.nextId++;
    return new Promise<SpawnResult>((resolve, reject) => {
      this.add(id, { kind: "run", server, resolve, reject });
      server.send({ type: "run", id, file, args: [...args], ...opts });
    });
  }

  /** Starts `file args` and streams its output and exit back as a ChildProcess would. */
  start(file: string, args: readonly string[], opts: StartOptions): RemoteChild {
    const server = this.pick();
    const id = this.nextId++;
    const child = new RemoteChild((message) => {
      if (this.jobs.has(id) && server.connected) server.send({ ...message, id });
    }, opts.openStdin ?? false);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.env)) if (value !== undefined) env[key] = value;
    this.add(id, { kind: "start", server, child });
    server.send({
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
    return this.servers.map((s) => s.pid).filter((pid): pid is number => pid !== undefined);
  }

  private onMessage(m: ServerMessage): void {
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

  private pick(): ChildProcess {
    if (this.servers.length < this.size) {
      this.installExitHook();
      const server = spawn(process.execPath, ["-e", SPAWNER_SOURCE], {
        stdio: ["ignore", "ignore", "inherit", "ipc"],
        serialization: "advanced",
        // A spawner must not inherit flags meant for Orchard (inspectors, loaders, heap limits).
        env: { ...process.env, NODE_OPTIONS: "" },
      });
      server.on("message", (m: ServerMessage) => this.onMessage(m));
      server.on("exit", (code, signal) => this.lose(server, `exited (${signal ?? code})`));
      server.on("error", (err) => this.lose(server, err.message));
      this.servers.push(server);
      this.idle(server);
      return server;
    }
    const server = this.servers[this.turn % this.servers.length]!;
    this.turn++;
    return server;
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
    if (this.jobs.size === 0) {
      for (const s of this.servers) {
        s.ref();
        s.channel?.ref();
      }
    }
    this.jobs.set(id, job);
  }

  private remove(id: number, pid: number | undefined): void {
    this.jobs.delete(id);
    if (pid !== undefined) this.liveGroups.delete(pid);
    if (this.jobs.size === 0) for (const s of this.servers) this.idle(s);
  }

  private idle(server: ChildProcess): void {
    server.unref();
    server.channel?.unref();
  }

  /** A spawner that died takes its jobs with it (they fail); the next call starts a new one. */
  private lose(server: ChildProcess, why: string): void {
    const index = this.servers.indexOf(server);
    if (index >= 0) this.servers.splice(index, 1);
    for (const [id, job] of [...this.jobs]) {
      if (job.server !== server) continue;
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
