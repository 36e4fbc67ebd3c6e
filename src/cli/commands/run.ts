import { constants as osConstants } from "node:os";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { checkInstallations, listPresets } from "../../agent/index.js";
import {
  normalizeOptions,
  type RunHandle,
  type RunOptionsInput,
  RunOptionsSchema,
  resumeRun,
  startRun,
} from "../../engine/index.js";
import { optionsForStore } from "../../engine/stored-options.js";
import { OrchardError, usageError } from "../../errors.js";
import { ensureRepo } from "../../git/index.js";
import { loadPlan } from "../../plan/index.js";
import { CONFIG_FILE, readProjectConfig } from "../config.js";
import { type CliIo, println } from "../io.js";
import { choiceArg, collect, intArg, numberArg } from "../options.js";
import { plainProgress } from "../progress/plain.js";
import { exitCodeFor } from "../progress/summary.js";
import { ttyProgress } from "../progress/tty.js";
import { type RunFlags, toRunOptions } from "../run-flags.js";
import { printTable } from "./agents.js";
import type { RegisterCommand } from "./index.js";
import { planChangedNote, submoduleNote, uncommittedNote } from "./run-notes.js";
import { printRunSummary, repoDir, repoOption } from "./shared.js";

/** The engine's defaults, shown in `--help` (not given to commander: orchard.config.json comes between). */
const DEFAULTS = RunOptionsSchema.parse({});

function addRunOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        "--agent <name>",
        "agent preset: claude, codex, gemini, aider, opencode, command, scripted (offline demo agent); no default: name one here, in orchard.config.json or with **Agent:** in the plan",
      ),
    )
    .option(
      "--agent-command <argv>",
      'argv template for any agent, e.g. "my-agent --prompt-file {prompt_file}"',
    )
    .option("--agent-arg <arg>", "extra argument for the agent CLI (repeatable)", collect)
    .option("--model <name>", "model for agent CLIs that take one")
    .option("--workers <n>", `parallel workers (default ${DEFAULTS.workers})`, intArg("--workers", 1, 256))
    .option(
      "--slots <n>",
      "pooled worktrees (default 2 × workers; workers + min(workers, 4) are made ready at the start, the rest only when all are taken and worktrees are quick to make)",
      intArg("--slots", 0, 512),
    )
    .option(
      "--mode <mode>",
      `local (one worker) | parallel | sandbox (parallel, each agent confined to its worktree by bubblewrap) (default ${DEFAULTS.mode})`,
      choiceArg("--mode", ["local", "parallel", "sandbox"] as const),
    )
    .option(
      "--allow-host <host[:port]>",
      "--mode sandbox: a host the agents may reach besides their model API (repeatable)",
      collect,
    )
    .option(
      "--setup <command>",
      'shell command run in each worktree before its agent, e.g. "npm install" (ignored files it makes stay for the next task)',
    )
    .option(
      "--max-attempts <n>",
      `attempts per task (default ${DEFAULTS.maxAttempts})`,
      intArg("--max-attempts", 1, 20),
    )
    .option(
      "--timeout <s>",
      `wall-clock limit per agent run, seconds (default ${DEFAULTS.timeoutS})`,
      numberArg("--timeout"),
    )
    .option(
      "--idle-timeout <s>",
      `kill an agent silent this long, seconds (default ${DEFAULTS.idleTimeoutS})`,
      numberArg("--idle-timeout"),
    )
    .option(
      "--log-max <MiB>",
      `keep at most this much of each agent log: its head and tail (default ${DEFAULTS.logMaxMib})`,
      numberArg("--log-max"),
    )
    .option(
      "--on-conflict <policy>",
      `retry | fail (default ${DEFAULTS.onConflict})`,
      choiceArg("--on-conflict", ["retry", "fail"] as const),
    )
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
    .option(
      "--land <how>",
      `merge (integration branch) | pr (a GitHub pull request per task) | run-pr (one pull request for the run) (default ${DEFAULTS.land})`,
      choiceArg("--land", ["merge", "pr", "run-pr"] as const),
    )
    .option(
      "--merge <method>",
      "merge the pull requests once GitHub allows: squash | merge | rebase (default: leave them open)",
      choiceArg("--merge", ["squash", "merge", "rebase"] as const),
    )
    .option("--github-remote <name>", "git remote of the GitHub repository (default origin)")
    .option("--github-api-url <url>", "GitHub Enterprise API, e.g. https://ghe.example.com/api/v3")
    .option(
      "--pr-base <branch>",
      "branch the pull requests go into (default --into, else the current branch)",
    )
    .option("--pr-label <label>", "label for the pull requests (repeatable; default orchard)", collect)
    .option("--json", "print the result as JSON instead of live progress");
}

export const registerRun: RegisterCommand = (program, io) => {
  addRunOptions(
    repoOption(
      program
        .command("run")
        .description("run a plan's tasks with agents and land the results")
        .argument("[plan]", "plan file"),
    ),
  )
    .option("--base <ref>", "commit the run starts from (default HEAD)")
    .option("--into <branch>", "fast-forward this branch to the result at the end, if it has not moved")
    .option("--start-batch <n>", "first batch to run", intArg("--start-batch", 1))
    .option("--end-batch <n>", "last batch to run", intArg("--end-batch", 1))
    .option("--parallel", "flat plans: run tasks at the same time except where their files overlap")
    .option("--no-file-guard", "let tasks of one batch that name the same file run at the same time")
    .option(
      "--commit-hooks",
      "run the repository's pre-commit, commit-msg and pre-merge-commit hooks on Orchard's commits",
    )
    .option("--print-config", `print the options the run would use (${CONFIG_FILE}, then flags) and exit`)
    .addHelpText(
      "after",
      `\nDefaults come from the engine, then ${CONFIG_FILE} at the repository root, then these flags.`,
    )
    .action(async (planPath: string | undefined, flags: RunFlags & { printConfig?: boolean }) => {
      const repo = repoDir(io, flags.repo);
      const config = await readProjectConfig(await ensureRepo(repo));
      const options: RunOptionsInput = { ...config?.options, ...toRunOptions(flags) };
      if (flags.printConfig) {
        // As the store would keep them: secret-looking values in command lines masked.
        const shown = {
          configFile: config?.path ?? null,
          options: JSON.parse(optionsForStore(normalizeOptions(options))) as unknown,
        };
        println(io.stdout, JSON.stringify(shown, null, 2));
        return;
      }
      if (!planPath) throw usageError("missing the plan: orchard run <plan> (orchard run --help)");
      const plan = await loadPlan(resolve(io.cwd, planPath));
      const notes = await Promise.all([
        flags.base ? null : uncommittedNote(repo),
        submoduleNote(repo, flags.base ?? "HEAD"),
      ]);
      for (const note of notes) if (note) println(io.stderr, note);
      const handle = await startRun({
        repo,
        plan,
        planPath: resolve(io.cwd, planPath),
        options,
        ...(flags.base ? { base: flags.base } : {}),
      }).catch((err: unknown) => explainMissingAgent(err, io));
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
    const repo = repoDir(io, flags.repo);
    const note = await planChangedNote(repo, runId);
    if (note) println(io.stderr, note);
    const handle = await resumeRun({ repo, runId, options: toRunOptions(flags) }).catch((err: unknown) =>
      explainMissingAgent(err, io),
    );
    io.exitCode = await follow(handle, repo, flags.json ?? false, io, new Map());
  });
};

/**
 * A run with no agent named: the engine's message, then what `orchard agents` shows, so that the user
 * sees which agents they can name; exit 2.
 */
async function explainMissingAgent(err: unknown, io: CliIo): Promise<never> {
  if (!(err instanceof OrchardError && err.details?.agentMissing)) throw err;
  println(io.stderr, `orchard: ${err.message}`);
  println(io.stderr);
  printTable(await checkInstallations(listPresets(), io.env, io.cwd), io.stderr);
  throw new OrchardError("AGENT_UNKNOWN", "no agent named (see above)", { reported: true });
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
  // Service managers and CI send SIGTERM and expect an exit within seconds; a closed terminal sends
  // SIGHUP. Agents get TERM to their groups (KILL after a short grace), their attempts are recorded as
  // interrupted (they do not count), and the run exits resumable with 128 + the signal's number.
  let terminatedBy: NodeJS.Signals | null = null;
  const onTerminate = (signal: NodeJS.Signals) => {
    terminatedBy ??= signal;
    handle.stop(`stopped by ${signal}`);
    handle.kill();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onTerminate);
  process.on("SIGHUP", onTerminate);
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
    if (terminatedBy && result.status === "interrupted") return 128 + osConstants.signals[terminatedBy];
    return exitCodeFor(result, interrupts > 0);
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onTerminate);
    process.off("SIGHUP", onTerminate);
  }
}
