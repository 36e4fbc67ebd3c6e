import type { Command } from "commander";
import type { CliIo } from "../io.js";

export type RegisterCommand = (program: Command, io: CliIo) => void;

/**
 * Every command: its name, its line in `orchard --help` (the command's own description, shown by
 * `orchard <command> --help`, may say more), and how to load the module that registers it.
 * A command's module (and what it imports: the store, git, the plan parser) is loaded only when that
 * command runs, so `orchard --version` and `--help` start as fast as Node does (issue 21).
 * Add a line here when a command is added; one module may register several commands.
 */
export const COMMANDS: readonly CommandEntry[] = [
  entry(
    "run",
    "run a plan's tasks with agents and land the results",
    async () => (await import("./run.js")).registerRun,
  ),
  entry("resume", "continue an interrupted run", async () => (await import("./run.js")).registerRun),
  entry(
    "status",
    "show runs, or one run's batches and tasks",
    async () => (await import("./status.js")).registerStatus,
  ),
  entry(
    "cancel",
    "cancel a run: running agents are killed",
    async () => (await import("./control.js")).registerControl,
  ),
  entry(
    "retry",
    "make a failed or skipped task runnable again, then `orchard resume` runs it",
    async () => (await import("./control.js")).registerControl,
  ),
  entry(
    "logs",
    "show a run's event log, or a task's output (setup, agent, verification)",
    async () => (await import("./logs.js")).registerLogs,
  ),
  entry(
    "clean",
    "remove Orchard's worktrees and the orchard/* branches nobody needs; integration branches holding landed work stay unless named",
    async () => (await import("./clean.js")).registerClean,
  ),
  entry(
    "demo",
    "run a bundled example plan with the offline scripted agent in a scratch repository",
    async () => (await import("./demo.js")).registerDemo,
  ),
  entry(
    "bench",
    "measure Orchard through the full engine: efficiency, per-phase times, pooled slots, store throughput",
    async () => (await import("./bench.js")).registerBench,
  ),
  entry(
    "agents",
    "list the agent presets, whether each CLI is installed, and its version",
    async () => (await import("./agents.js")).registerAgents,
  ),
  entry(
    "serve",
    "serve the HTTP API (the original routes, /api/runs, live events)",
    async () => (await import("./serve.js")).registerServe,
  ),
  entry(
    "plan",
    "work with plan files (plan check <plan>)",
    async () => (await import("./plan-check.js")).registerPlanCheck,
  ),
];

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<RegisterCommand>;
}

function entry(name: string, summary: string, load: () => Promise<RegisterCommand>): CommandEntry {
  return { name, summary, load };
}
