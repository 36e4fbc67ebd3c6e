import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import {
  loadRun,
  openRepoStore,
  type RunHandle,
  type RunOptionsInput,
  resumeRun,
  startRun,
} from "../../engine/index.js";
import { ensureRepo, Git } from "../../git/index.js";
import { loadPlan } from "../../plan/index.js";
import { println } from "../io.js";
import { choiceArg, collect, intArg, numberArg } from "../options.js";
import { plainProgress } from "../progress/plain.js";
import { exitCodeFor } from "../progress/summary.js";
import { ttyProgress } from "../progress/tty.js";
import type { RegisterCommand } from "./index.js";
import { printRunSummary, repoOption } from "./shared.js";

interface RunFlags {
  repo?: string;
  agent?: string;
  agentCommand?: string;
  agentArg?: string[];
  model?: string;
  workers?: number;
  slots?: number;
  mode?: "local" | "parallel";
  base?: string;
  into?: string;
  startBatch?: number;
  endBatch?: number;
  maxAttempts?: number;
  timeout?: number;
  idleTimeout?: number;
  onConflict?: "retry" | "fail";
  parallel?: boolean;
  fileGuard?: boolean;
  maxCostUsd?: number;
  attemptBudgetUsd?: number;
  setup?: string;
  json?: boolean;
}

function addRunOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--agent <name>", "agent preset: scripted, command, claude, codex, gemini, aider, opencode"),
    )
    .option(
      "--agent-command <argv>",
      'argv template for any agent, e.g. "my-agent --prompt-file {prompt_file}"',
    )
    .option("--agent-arg <arg>", "extra argument for the agent CLI (repeatable)", collect)
    .option("--model <name>", "model for agent CLIs that take one")
    .option("--workers <n>", "parallel workers", intArg("--workers"))
    .option("--slots <n>", "pooled worktrees (default workers + min(workers, 4))", intArg("--slots"))
    .option(
      "--mode <mode>",
      "local (one worker) | parallel",
      choiceArg("--mode", ["local", "parallel"] as const),
    )
    .option(
      "--setup <command>",
      'shell command run in each worktree before its agent, e.g. "npm install" (ignored files it makes stay for the next task)',
    )
    .option("--max-attempts <n>", "attempts per task", intArg("--max-attempts"))
    .option("--timeout <s>", "wall-clock limit per agent run, seconds", numberArg("--timeout"))
    .option("--idle-timeout <s>", "kill an agent silent this long, seconds", numberArg("--idle-timeout"))
    .option("--on-conflict <policy>", "retry | fail", choiceArg("--on-conflict", ["retry", "fail"] as const))
    .option(
      "--max-cost-usd <usd>",
      "stop starting attempts once the run has spent this much",
      numberArg("--max-cost-usd"),
    )
    .option(
      "--attempt-budget-usd <usd>",
      "per-attempt budget for CLIs that support one",
      numberArg("--attempt-budget-usd"),
    )
    .option("--json", "print the result as JSON instead of live progress");
}

function toOptions(f: RunFlags): RunOptionsInput {
  const o: RunOptionsInput = {};
  if (f.agent) o.agent = f.agent;
  if (f.agentCommand) {
    o.agentCommand = f.agentCommand;
    if (!f.agent) o.agent = "command";
  }
  if (f.agentArg) o.agentArgs = f.agentArg;
  if (f.model) o.model = f.model;
  if (f.workers !== undefined) o.workers = f.workers;
  if (f.slots !== undefined) o.slots = f.slots;
  if (f.mode) o.mode = f.mode;
  if (f.into) o.into = f.into;
  if (f.startBatch !== undefined) o.startBatch = f.startBatch;
  if (f.endBatch !== undefined) o.endBatch = f.endBatch;
  if (f.setup !== undefined) o.setup = f.setup;
  if (f.maxAttempts !== undefined) o.maxAttempts = f.maxAttempts;
  if (f.timeout !== undefined) o.timeoutS = f.timeout;
  if (f.idleTimeout !== undefined) o.idleTimeoutS = f.idleTimeout;
  if (f.onConflict) o.onConflict = f.onConflict;
  if (f.parallel !== undefined) o.parallel = f.parallel;
  if (f.fileGuard === false) o.fileGuard = false;
  if (f.maxCostUsd !== undefined) o.maxCostUsd = f.maxCostUsd;
  if (f.attemptBudgetUsd !== undefined) o.attemptBudgetUsd = f.attemptBudgetUsd;
  return o;
}

export const registerRun: RegisterCommand = (program, io) => {
  addRunOptions(
    repoOption(
      program
        .command("run")
        .description("run a plan's tasks with agents and land the results")
        .argument("<plan>", "plan file"),
    ),
  )
    .option("--base <ref>", "commit the run starts from (default HEAD)")
    .option("--into <branch>", "fast-forward this branch to the result at the end, if it has not moved")
    .option("--start-batch <n>", "first batch to run", intArg("--start-batch"))
    .option("--end-batch <n>", "last batch to run", intArg("--end-batch"))
    .option("--parallel", "flat plans: run tasks at the same time except where their files overlap")
    .option("--no-file-guard", "let tasks of one batch that name the same file run at the same time")
    .action(async (planPath: string, flags: RunFlags) => {
      const plan = await loadPlan(resolve(io.cwd, planPath));
      const repo = resolve(io.cwd, flags.repo ?? ".");
      const notes = await Promise.all([
        flags.base ? null : uncommittedNote(repo),
        submoduleNote(repo, flags.base ?? "HEAD"),
      ]);
      for (const note of notes) if (note) println(io.stderr, note);
      const handle = await startRun({
        repo,
        plan,
        planPath: resolve(io.cwd, planPath),
        options: toOptions(flags),
        ...(flags.base ? { base: flags.base } : {}),
      });
      io.exitCode = await follow(
        handle,
        repo,
        flags.json ?? false,
        io,
        new Map(plan.tasks.map((t) => [t.id as string, t.title])),
      );
    });

  addRunOptions(
    repoOption(
      program.command("resume").description("continue an interrupted run").argument("<run>", "run id"),
    ),
  ).action(async (runId: string, flags: RunFlags) => {
    const repo = resolve(io.cwd, flags.repo ?? ".");
    const note = await planChangedNote(repo, runId);
    if (note) println(io.stderr, note);
    const handle = await resumeRun({ repo, runId, options: toOptions(flags) });
    io.exitCode = await follow(handle, repo, flags.json ?? false, io, new Map());
  });
};

/**
 * A word before a resume whose plan file no longer says what the run recorded: a resume runs the plan
 * as it was when the run started (the store keeps it), not the edited file, which a user who fixed a
 * task's text and resumed would otherwise not know. Silent when the file is gone or anything fails:
 * the resume itself says what is wrong.
 */
async function planChangedNote(repo: string, runId: string): Promise<string | null> {
  try {
    const store = await openRepoStore(repo);
    const run = await loadRun(store, runId).finally(() => store.close());
    if (!run.planPath || !existsSync(run.planPath)) return null;
    // A file that no longer parses has changed too.
    const now = await loadPlan(run.planPath).then(JSON.stringify, () => null);
    if (now === run.planJson) return null;
    return `note: ${run.planPath} has changed since run ${run.id} started; resume runs the plan as it was then (start a new run with \`orchard run\` for the changed plan)`;
  } catch {
    return null;
  }
}

/**
 * A word before a run on a repository with submodules: Orchard's worktrees do not check them out, so an
 * agent sees their directories empty, and what it changed inside one is not part of the task's commit.
 * No git process unless the checkout has a `.gitmodules`; then the commit the run starts from is read.
 * Silent on error: the run's own checks say what is wrong with the repository.
 */
async function submoduleNote(repo: string, base: string): Promise<string | null> {
  const top = await ensureRepo(repo).catch(() => null);
  if (!top || !existsSync(join(top, ".gitmodules"))) return null;
  const found = await new Git(top)
    .run(["config", "--blob", `${base}:.gitmodules`, "--get-regexp", "^submodule\\..*\\.path$"], {
      cwd: top,
      readOnly: true,
    })
    .catch(() => null);
  const paths = (found?.stdout ?? "")
    .split("\n")
    .map((line) => line.slice(line.indexOf(" ") + 1).trim())
    .filter((path) => path !== "");
  if (paths.length === 0) return null;
  const named = paths.length > 3 ? `${paths.slice(0, 3).join(", ")} …` : paths.join(", ");
  return `note: this repository has submodules (${named}); Orchard's worktrees do not check them out, so the agents see those directories empty and changes inside them are not committed`;
}

/**
 * A word before a run that starts from HEAD while tracked files in the checkout have changes: the
 * agents work from commits and will not see them. Read without taking the index lock or refreshing
 * the index (`--no-optional-locks`): the user's checkout is not Orchard's to write. Silent on error:
 * the run's own checks say what is wrong with the repository.
 */
async function uncommittedNote(repo: string): Promise<string | null> {
  const status = await new Git(repo)
    .run(["--no-optional-locks", "status", "--porcelain", "--untracked-files=no"], { cwd: repo })
    .catch(() => null);
  const files = status?.stdout.split("\n").filter((line) => line.trim() !== "").length ?? 0;
  if (files === 0) return null;
  return `note: ${files === 1 ? "1 tracked file has" : `${files} tracked files have`} uncommitted changes in your checkout; the run starts from HEAD without them (commit them first if the agents should see them, or pass --base)`;
}

/** Shows a run's progress until it ends; Ctrl-C once stops claiming, twice kills the agents. */
async function follow(
  handle: RunHandle,
  repo: string,
  json: boolean,
  io: Parameters<RegisterCommand>[1],
  titles: Map<string, string>,
): Promise<number> {
  const tty = !json && io.stdout.isTTY === true;
  let tasksTotal = titles.size;
  const view = tty ? ttyProgress(io.stdout, titles, tasksTotal) : null;
  const off = json ? () => {} : handle.bus.on(view ? view.onEvent : plainProgress(io.stdout));
  const offStart = handle.bus.on((e) => {
    if (e.type === "run:started") tasksTotal = e.tasks;
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      println(io.stderr, "\nstopping: running attempts will finish (Ctrl-C again to kill them)");
      handle.stop();
    } else handle.kill();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    const result = await handle.done;
    view?.stop();
    off();
    offStart();
    if (json) {
      println(io.stdout, JSON.stringify(result, null, 2));
    } else {
      await printRunSummary(io, repo, result, tty);
    }
    return exitCodeFor(result, interrupts > 0);
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}
