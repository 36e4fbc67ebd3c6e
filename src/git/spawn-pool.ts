import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { SpawnOptions, SpawnResult } from "./spawn.js";
import { SPAWN_WORKER_SOURCE } from "./spawn-worker-source.js";

interface Pending {
  resolve: (r: SpawnResult) => void;
  reject: (e: Error) => void;
  pid?: number;
}

/**
 * Runs git processes from spawner threads. Node's `spawn` forks on the calling thread, and a fork of a
 * big process blocks that thread for milliseconds (10–15 ms per spawn under load, measured in
 * docs/benchmarks.md, where 62% of the engine's main-thread time was inside spawn). Off the main thread,
 * workers keep claiming and agents keep starting while git runs.
 */
export class SpawnPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private turn = 0;
  private inFlight = 0;
  /** Process groups still running, killed if Orchard exits before they end. */
  readonly liveGroups = new Set<number>();

  constructor(private readonly size = Math.min(4, Math.max(2, availableParallelism()))) {}

  run(args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
    const worker = this.pick();
    const id = this.nextId++;
    return new Promise<SpawnResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.track(+1);
      worker.postMessage({
        id,
        args: [...args],
        cwd: opts.cwd,
        env: opts.env,
        input: opts.input,
        timeoutMs: opts.timeoutMs,
      });
    });
  }

  private pick(): Worker {
    if (this.workers.length < this.size) {
      const worker = new Worker(SPAWN_WORKER_SOURCE, { eval: true });
      worker.on(
        "message",
        (m: { id: number; type: "pid"; pid: number } | { id: number; type: "done"; result: SpawnResult }) => {
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
        },
      );
      worker.on("error", (err) => this.failAll(err));
      worker.unref();
      this.workers.push(worker);
      return worker;
    }
    const worker = this.workers[this.turn % this.workers.length]!;
    this.turn++;
    return worker;
  }

  /** Keeps the process alive while git runs (an idle pool must not). */
  private track(delta: number): void {
    const before = this.inFlight;
    this.inFlight += delta;
    if (before === 0 && this.inFlight > 0) for (const w of this.workers) w.ref();
    if (before > 0 && this.inFlight === 0) for (const w of this.workers) w.unref();
  }

  private failAll(err: Error): void {
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      job.reject(err);
    }
    this.inFlight = 0;
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
