import { type ChildProcess, spawn } from "node:child_process";
import type { SpawnOptions, SpawnResult } from "./spawn.js";
import { SPAWN_WORKER_SOURCE } from "./spawn-worker-source.js";

interface Pending {
  resolve: (r: SpawnResult) => void;
  reject: (e: Error) => void;
  pid?: number;
  server: ChildProcess;
}

type ServerMessage =
  | { id: number; type: "pid"; pid: number }
  | { id: number; type: "done"; result: SpawnResult };

/**
 * Runs git processes from small spawner processes. A fork copies the page tables of the process that
 * forks, so its cost grows with that process's memory: 2.7 ms from a bare Node process, 16 ms from one
 * of 250 MB (measured here, docs/benchmarks.md), and Node forks on the calling thread. Orchard's engine
 * holds 100+ MB, so every git process it forked itself cost ~10 ms of a thread, and ~14 of them per
 * task. A bare Node process beside it forks git for a fraction of that, and the engine's threads never
 * block on a fork at all.
 */
export class SpawnPool {
  private readonly servers: ChildProcess[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private turn = 0;
  private inFlight = 0;
  /** Process groups still running, killed if Orchard exits before they end. */
  readonly liveGroups = new Set<number>();

  constructor(private readonly size = 2) {}

  /** The spawner processes now running (their CPU, and their children's, is Orchard's too). */
  pids(): number[] {
    return this.servers.map((s) => s.pid).filter((pid): pid is number => pid !== undefined);
  }

  run(args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
    const server = this.pick();
    const id = this.nextId++;
    return new Promise<SpawnResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, server });
      this.track(+1);
      server.send({
        id,
        args: [...args],
        cwd: opts.cwd,
        env: opts.env,
        input: opts.input,
        timeoutMs: opts.timeoutMs,
      });
    });
  }

  private pick(): ChildProcess {
    if (this.servers.length < this.size) {
      const server = spawn(process.execPath, ["-e", SPAWN_WORKER_SOURCE], {
        stdio: ["ignore", "ignore", "inherit", "ipc"],
        // A spawner must not inherit flags meant for Orchard (inspectors, loaders, heap limits).
        env: { ...process.env, NODE_OPTIONS: "" },
      });
      server.on("message", (m: ServerMessage) => {
        const job = this.pending.get(m.id);
        if (!job) return;
        if (m.type === "pid") {
          job.pid = m.pid;
          this.liveGroups.add(m.pid);
          return;
        }
        this.pending.delete(m.id);
        if (job.pid !== undefined) this.liveGroups.delete(job.pid);
        this.track(-1);
        job.resolve(m.result);
      });
      server.on("exit", (code, signal) =>
        this.lose(server, new Error(`git spawner process exited (${signal ?? code})`)),
      );
      server.on("error", (err) => this.lose(server, err));
      this.servers.push(server);
      this.idle(server);
      return server;
    }
    const server = this.servers[this.turn % this.servers.length]!;
    this.turn++;
    return server;
  }

  /** Keeps Orchard alive while git runs (an idle spawner must not). */
  private track(delta: number): void {
    const before = this.inFlight;
    this.inFlight += delta;
    if (before === 0 && this.inFlight > 0) {
      for (const s of this.servers) {
        s.ref();
        s.channel?.ref();
      }
    }
    if (before > 0 && this.inFlight === 0) for (const s of this.servers) this.idle(s);
  }

  private idle(server: ChildProcess): void {
    server.unref();
    server.channel?.unref();
  }

  /** A spawner that died takes its jobs with it; the next call starts a new one. */
  private lose(server: ChildProcess, err: Error): void {
    const index = this.servers.indexOf(server);
    if (index >= 0) this.servers.splice(index, 1);
    for (const [id, job] of this.pending) {
      if (job.server !== server) continue;
      this.pending.delete(id);
      if (job.pid !== undefined) this.liveGroups.delete(job.pid);
      this.track(-1);
      job.reject(err);
    }
  }
}
