import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { killGroup } from "../spawner/index.js";
import { gitEnv } from "./env.js";
import type { Git } from "./git.js";
import { type MergeTreeResult, takeMergeTreeRecord } from "./parse/merge-tree.js";
import { isFullSha } from "./ref-files.js";

const ARGS = ["merge-tree", "--write-tree", "-z", "--name-only", "--messages", "--stdin"];
/** How long the first answer may take before the server is judged not to answer one at a time. */
const PROBE_TIMEOUT_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 120_000;
const CLOSE_GRACE_MS = 2_000;

interface Pending {
  resolve(result: MergeTreeResult | null): void;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived `git merge-tree --write-tree --stdin` for a run's landings: a merge is a line in and an
 * answer out, about a millisecond, where a `git merge-tree` per merge costs ~3.5 ms, most of it starting
 * git (docs/benchmarks.md). The merges are git's own. Git (2.39) buffers what `--stdin` prints until
 * stdin closes; `stdbuf -o0` (coreutils) has it write each answer when done, and a probe merge at start
 * checks that answers do come one at a time. Without stdbuf, with a git that lacks `--stdin`, or once
 * anything goes wrong (the process exits, an answer is late), `merge` answers null and the caller runs
 * one git per merge, as before.
 *
 * Unlike every other child, it is started by Node itself rather than by a spawner process
 * (src/spawner): the fork blocks the engine once a run, while its first agents work, and each merge then
 * goes through Node's own pipes instead of a spawner's relay (two more hops, the answer as base64 in a
 * JSON line). With 16 workers on two cores the landings fell behind the completions by ~0.64 s through
 * the relay and ~0.49 s without it; a merge took 1.1–1.4 ms at p50 instead of 1.4–2.5 on 4 × 4 (docs/benchmarks.md).
 */
export class MergeTreeServer {
  private child: ChildProcess | null = null;
  private ready: Promise<boolean> | null = null;
  private off = false;
  private output = "";
  private readonly decoder = new StringDecoder("utf8");
  private readonly pending: Pending[] = [];

  constructor(
    private readonly git: Git,
    private readonly opts: { timeoutMs?: number; stdbuf?: string } = {},
  ) {}

  /** Starts the server and probes it with a merge of `commit` with itself; resolves false if it cannot serve. */
  start(commit: string): Promise<boolean> {
    this.ready ??= this.open(commit);
    return this.ready;
  }

  /** Whether merges go to the server (waits for the probe of a server that is starting). */
  async serving(): Promise<boolean> {
    return !!this.ready && (await this.ready) && !this.off;
  }

  /** The merge of two commits, or null when the server cannot answer it (the caller runs git itself). */
  async merge(ours: string, theirs: string): Promise<MergeTreeResult | null> {
    if (!(await this.serving())) return null;
    return this.ask(ours, theirs, this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * Ends the server: git exits when its stdin closes (its process group is killed if it has not within
   * a grace period, so it never keeps Orchard alive); later merges answer null.
   */
  close(): void {
    if (this.off) return;
    this.off = true;
    this.settleAll();
    this.child?.stdin?.end();
    if (this.child) setTimeout(() => this.stop(), CLOSE_GRACE_MS).unref();
  }

  private async open(commit: string): Promise<boolean> {
    if (this.off || !isFullSha(commit)) return false;
    let child: ChildProcess;
    try {
      // Its own process group, so that stop() can kill stdbuf and git together.
      child = spawn(this.opts.stdbuf ?? "stdbuf", ["-o0", "git", ...ARGS], {
        cwd: this.git.repoDir,
        env: gitEnv(),
        detached: true,
        stdio: ["pipe", "pipe", "pipe"],
      });
    } catch {
      this.off = true;
      return false;
    }
    this.child = child;
    // Never what keeps Orchard running: a merge being waited for has its own timer.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();
    child.stdin?.on("error", () => {});
    child.stdout?.on("data", (chunk: Buffer) => this.receive(this.decoder.write(chunk)));
    child.stderr?.on("data", () => {});
    child.on("error", () => this.stop());
    child.on("close", () => {
      // Gone already: nothing to kill (its pid may even be another process's by now).
      if (this.child === child) this.child = null;
      this.stop();
    });
    const probe = await this.ask(commit, commit, PROBE_TIMEOUT_MS);
    if (probe?.clean) return true;
    this.stop();
    return false;
  }

  private ask(ours: string, theirs: string, timeoutMs: number): Promise<MergeTreeResult | null> {
    const stdin = this.child?.stdin;
    if (this.off || !stdin || !isFullSha(ours) || !isFullSha(theirs)) return Promise.resolve(null);
    return new Promise((resolve) => {
      // A late answer means a server that cannot be trusted to line up answers with questions any more.
      const timer = setTimeout(() => this.stop(), timeoutMs);
      this.pending.push({ resolve, timer });
      stdin.write(`${ours} ${theirs}\n`);
    });
  }

  private receive(text: string): void {
    this.output += text;
    for (;;) {
      let taken: ReturnType<typeof takeMergeTreeRecord>;
      try {
        taken = takeMergeTreeRecord(this.output);
      } catch {
        this.stop();
        return;
      }
      if (!taken) return;
      this.output = taken.rest;
      const waiting = this.pending.shift();
      if (!waiting) {
        this.stop();
        return;
      }
      clearTimeout(waiting.timer);
      waiting.resolve(taken.result);
    }
  }

  /** Gives up on the server: every waiting merge answers null, and its process group is killed. */
  private stop(): void {
    this.off = true;
    this.settleAll();
    const pid = this.child?.pid;
    this.child = null;
    if (pid !== undefined) killGroup(pid, "SIGKILL");
  }

  private settleAll(): void {
    for (const waiting of this.pending.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.resolve(null);
    }
  }
}
