import { chooseSpawners } from "./find-python.js";
import { killGroup } from "./kill.js";
import { RemoteChild } from "./remote-child.js";
import { nodeServer, pythonServer, type Server, type ServerMessage, type SpawnerKind } from "./servers.js";

export type { SpawnerKind } from "./servers.js";

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

/**
 * Starts Orchard's child processes (git, agents, verification commands) from small spawner processes.
 * A fork copies the page tables of the process that forks, so its cost grows with that process's
 * memory: 2.7 ms from a bare Node process, 16 ms from one of 250 MB (measured here, docs/benchmarks.md),
 * and Node forks on the calling thread. Orchard's engine holds 100+ MB: every child it forked itself
 * cost ~10 ms of its event loop. A spawner beside it forks for a fraction of that, and the engine never
 * blocks on a fork at all. The spawners are Python processes on Linux where a python3 works
 * (python-source.ts: CPython starts children with vfork, a third of Node's CPU per child), else Node
 * processes (source.ts); chooseSpawners (find-python.ts) decides.
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
  /** The python3 the Python spawners run, looked up once. */
  private readonly interpreter: string;

  constructor(
    private readonly size = 2,
    kind?: SpawnerKind,
  ) {
    const chosen = chooseSpawners(kind);
    this.kind = chosen.kind;
    this.interpreter = chosen.interpreter;
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
      const onMessage = (from: Server, m: ServerMessage | { type: "ready" }) => this.onMessage(from, m);
      const server =
        this.kind === "python" ? pythonServer(this.interpreter, onMessage) : nodeServer(onMessage);
      this.watch(server);
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
