import { setTimeout as sleep } from "node:timers/promises";
import { gitEnv, READ_ONLY_GIT_ENV } from "./env.js";
import { classifyGitError, GitError } from "./errors.js";
import { spawnGit } from "./spawn.js";

export interface RunOptions {
  /** Defaults to the repository directory. */
  cwd?: string;
  /** Written to stdin; without it stdin is closed. */
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
  /** Sets GIT_OPTIONAL_LOCKS=0 so a read never takes index.lock to refresh stat data. */
  readOnly?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GitOptions {
  timeoutMs?: number;
  /** Waits before each retry of a command that hit a lock; jitter of up to half is added. */
  lockRetryDelaysMs?: readonly number[];
}

export const DEFAULT_TIMEOUT_MS = 120_000;
/**
 * Worktrees share one .git, so index.lock, config.lock and ref-lock clashes between slots are normal and
 * short-lived (a few ms for ref updates). Three tries cover them; anything longer is a real problem.
 */
export const DEFAULT_LOCK_RETRY_DELAYS_MS: readonly number[] = [20, 60, 150];

/** The one choke point through which Orchard spawns git. */
export class Git {
  readonly repoDir: string;
  private readonly timeoutMs: number;
  private readonly lockRetryDelaysMs: readonly number[];

  constructor(repoDir: string, opts: GitOptions = {}) {
    this.repoDir = repoDir;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.lockRetryDelaysMs = opts.lockRetryDelaysMs ?? DEFAULT_LOCK_RETRY_DELAYS_MS;
  }

  /** Runs git; throws GitError unless the exit code is 0 or listed in `okExitCodes`. Retries only LOCKED. */
  run(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.retryLocked(() => this.runOnce(args, opts));
  }

  /**
   * Runs `attempt` again while it fails with GitError LOCKED, after this Git's lock retry delays (with
   * jitter): for git commands and for ref files Orchard writes itself, which meet the same locks.
   */
  async retryLocked<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const delay = this.lockRetryDelaysMs[tries];
        if (!(error instanceof GitError) || error.code !== "LOCKED" || delay === undefined) throw error;
        await sleep(delay + Math.random() * delay * 0.5);
      }
    }
  }

  private async runOnce(args: readonly string[], opts: RunOptions): Promise<RunResult> {
    const env = gitEnv({ ...(opts.readOnly ? READ_ONLY_GIT_ENV : {}), ...opts.env });
    const result = await spawnGit(args, {
      cwd: opts.cwd ?? this.repoDir,
      env,
      timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      ...(opts.input === undefined ? {} : { input: opts.input }),
    });
    if (result.timedOut) {
      throw new GitError({ code: "TIMEOUT", args, exitCode: result.exitCode, stderr: result.stderr });
    }
    const ok = opts.okExitCodes ?? [0];
    if (result.exitCode !== null && (result.exitCode === 0 || ok.includes(result.exitCode))) {
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
    }
    const code = classifyGitError(result.stderr, result.stdout);
    throw new GitError({ code, args, exitCode: result.exitCode, stderr: result.stderr || result.stdout });
  }
}
