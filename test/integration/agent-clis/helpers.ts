import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { runAgent } from "../../../src/agent/index.js";
import type { AgentContext, AgentPreset, AgentRunResult } from "../../../src/agent/types.js";
import type { FakeModelServer } from "../../fixtures/model-servers/http.js";

/**
 * The real CLIs, installed by `npm ci --prefix test/real-clis`; OpenCode by
 * `npm install --prefix test/real-clis/opencode --no-save`.
 */
export const REAL_CLIS = fileURLToPath(new URL("../../real-clis/", import.meta.url));
export const REAL_CLI_BINS = [
  path.join(REAL_CLIS, "node_modules", ".bin"),
  path.join(REAL_CLIS, "opencode", "node_modules", ".bin"),
];

/** The path of an installed CLI, or null; a test suite skips (saying so) only when this is null. */
export function realCli(name: string): string | null {
  const file = REAL_CLI_BINS.map((dir) => path.join(dir, name)).find((f) => existsSync(f));
  return file ?? null;
}

export const skipReason = (name: string, pkg: string) =>
  name === "opencode"
    ? `opencode is not installed: run \`npm install --prefix test/real-clis/opencode --no-save\` (package ${pkg})`
    : `${name} is not installed: run \`npm ci --prefix test/real-clis\` (package ${pkg})`;

/** `<cli> --version`, for the record. */
export function versionOf(file: string): string {
  return execFileSync(file, ["--version"], { encoding: "utf8", timeout: 30_000 }).trim().split("\n")[0] ?? "";
}

export interface Sandbox {
  /** A git repository: the slot the agent works in. */
  repo: string;
  /** Scratch space for the CLI's home, config and temp files. */
  scratch: string;
  cleanup(): Promise<void>;
}

/**
 * A temp git repository with one commit, and a scratch dir. `scratchRoot` lets Codex keep its home out
 * of /tmp, where its own sandbox refuses to run.
 */
export async function makeSandbox(scratchRoot = tmpdir()): Promise<Sandbox> {
  await mkdir(scratchRoot, { recursive: true });
  const repo = await mkdtemp(path.join(tmpdir(), "orchard-cli-repo-"));
  const scratch = await mkdtemp(path.join(scratchRoot, ".home-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Orchard Test", "-c", "user.email=test@orchard.local", ...args], {
      cwd: repo,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
    });
  git("init", "-q", "-b", "main");
  git("config", "gc.auto", "0");
  await writeFile(path.join(repo, "README.md"), "# demo\n");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return {
    repo,
    scratch,
    cleanup: async () => {
      await rm(repo, { recursive: true, force: true });
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** Runs `preset` the way the engine does (runAgent), in the sandbox's repo, with `env` as the slot's. */
export async function runIn(
  sb: Sandbox,
  preset: AgentPreset,
  env: Record<string, string>,
  extra: Partial<AgentContext> = {},
): Promise<AgentRunResult & { log: string }> {
  const stateDir = path.join(sb.scratch, "state");
  const ctx: AgentContext = {
    runId: "exec_test",
    taskId: "1.1",
    slotDir: sb.repo,
    prompt: "Create the file the task names, then say what you did.\n",
    promptFile: path.join(stateDir, "prompt.md"),
    taskFile: path.join(stateDir, "task.json"),
    env: { ORCHARD_RUN_ID: "exec_test", ORCHARD_TASK_ID: "1.1", TMPDIR: sb.scratch, ...env },
    ...extra,
  };
  const logPath = path.join(stateDir, "agent.log");
  const result = await runAgent(preset, ctx, { logPath, timeoutMs: 90_000, idleTimeoutMs: 60_000 });
  const log = await readFile(logPath, "utf8").catch(() => "");
  return { ...result, log };
}

/** Wall time per real-CLI task, printed once per file so the report can quote it. */
export const timings: string[] = [];
export const timed = (label: string, r: AgentRunResult) => {
  timings.push(`${label}: ${r.process.durationMs} ms (${r.ok ? "ok" : `failed: ${r.reason}`})`);
};

export interface CliSuite {
  server: FakeModelServer;
  sb: Sandbox;
}

/**
 * The set-up every real-CLI suite shares: its preset finds the CLI through ORCHARD_<NAME>_BIN, one scripted
 * server serves the whole file, each test gets a fresh sandbox (made ready by `prepare`), and the timings
 * are printed at the end. Call it inside the suite's describe.
 */
export function useCliSuite(opts: {
  name: string;
  cli: string;
  start: () => Promise<FakeModelServer>;
  scratchRoot?: string;
  prepare?: (sb: Sandbox) => Promise<void>;
}): CliSuite {
  const suite = {} as CliSuite;
  beforeAll(async () => {
    process.env[`ORCHARD_${opts.name.toUpperCase()}_BIN`] = opts.cli;
    suite.server = await opts.start();
    timings.push(`${opts.name} ${versionOf(opts.cli)}`);
  });
  afterAll(async () => {
    await suite.server.close();
    console.info(timings.join("\n"));
  });
  beforeEach(async () => {
    suite.sb = await makeSandbox(opts.scratchRoot);
    await opts.prepare?.(suite.sb);
  });
  afterEach(() => suite.sb.cleanup());
  return suite;
}
