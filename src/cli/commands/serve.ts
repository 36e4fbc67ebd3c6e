import { readFile, realpath } from "node:fs/promises";
import { resolve } from "node:path";
import { usageError } from "../../errors.js";
import { DEFAULTS, startServer } from "../../server/index.js";
import { println } from "../io.js";
import { choiceArg, collect, intArg, numberArg } from "../options.js";
import { VERSION } from "../program.js";
import { toRunOptions } from "../run-flags.js";
import type { RegisterCommand } from "./index.js";
import { repoOption } from "./shared.js";

interface ServeFlags {
  repo?: string;
  host: string;
  port: number;
  planRoot?: string[];
  workers: number;
  agent?: string;
  agentCommand?: string;
  model?: string;
  setup?: string;
  maxAttempts?: number;
  timeout?: number;
  idleTimeout?: number;
  onConflict?: "retry" | "fail";
  maxCostUsd?: number;
  land?: "merge" | "pr" | "run-pr";
  merge?: "squash" | "merge" | "rebase";
  githubRemote?: string;
  githubApiUrl?: string;
  prBase?: string;
  tokenFile?: string;
  cors?: string[];
  logLevel: string;
}

/** `orchard serve`: the HTTP API on this repository's store; runs started through it execute in this process. */
export const registerServe: RegisterCommand = (program, io) => {
  repoOption(
    program.command("serve").description("serve the HTTP API (the original routes, /api/runs, live events)"),
  )
    .option("--host <addr>", "address to listen on; anything but loopback needs a token", DEFAULTS.host)
    .option("--port <n>", "port (0 picks a free one)", intArg("--port"), DEFAULTS.port)
    .option(
      "--plan-root <dir>",
      "directory plan paths must lie in (repeatable; default the repository)",
      collect,
    )
    .option(
      "--workers <n>",
      'workers of an execution_mode "parallel" run',
      intArg("--workers"),
      DEFAULTS.workers,
    )
    .option(
      "--agent <name>",
      "agent of runs that do not name one: scripted, command, claude, codex, gemini, aider, opencode",
    )
    .option(
      "--agent-command <argv>",
      'argv template for the command agent, e.g. "my-agent --prompt-file {prompt_file}"',
    )
    .option("--model <name>", "model for agent CLIs that take one")
    .option("--setup <command>", "shell command run in each worktree before its agent")
    .option("--max-attempts <n>", "attempts per task", intArg("--max-attempts"))
    .option("--timeout <s>", "wall-clock limit per agent run, seconds", numberArg("--timeout"))
    .option("--idle-timeout <s>", "kill an agent silent this long, seconds", numberArg("--idle-timeout"))
    .option("--on-conflict <policy>", "retry | fail", choiceArg("--on-conflict", ["retry", "fail"] as const))
    .option(
      "--max-cost-usd <usd>",
      "stop starting attempts once a run has spent this much",
      numberArg("--max-cost-usd"),
    )
    .option(
      "--token-file <file>",
      "file holding the bearer token every route but /health then needs (or ORCHARD_TOKEN)",
    )
    .option(
      "--land <how>",
      "runs started here land by: merge | pr | run-pr (GitHub pull requests; the original's auto_merge merges them)",
      choiceArg("--land", ["merge", "pr", "run-pr"] as const),
    )
    .option(
      "--merge <method>",
      "how auto_merge merges pull requests: squash | merge | rebase",
      choiceArg("--merge", ["squash", "merge", "rebase"] as const),
    )
    .option("--github-remote <name>", "git remote of the GitHub repository (default origin)")
    .option("--github-api-url <url>", "GitHub Enterprise API, e.g. https://ghe.example.com/api/v3")
    .option("--pr-base <branch>", "branch the pull requests go into")
    .option("--cors <origin>", "allow this browser origin (repeatable; default none)", collect)
    .option("--log-level <level>", "request log level on stderr: fatal, error, warn, info, debug", "warn")
    .action(async (flags: ServeFlags) => {
      const repo = resolve(io.cwd, flags.repo ?? ".");
      const token = await readToken(flags, io.env);
      const roots = await Promise.all(
        (flags.planRoot ?? [repo]).map((dir) =>
          realpath(resolve(io.cwd, dir)).catch(() => {
            throw usageError(`--plan-root ${dir} does not exist`);
          }),
        ),
      );
      const server = await startServer({
        repo,
        host: flags.host,
        port: flags.port,
        planRoots: roots,
        workers: flags.workers,
        // --workers is the server's own (execution_mode "parallel"), not every run's.
        runOptions: toRunOptions({ ...flags, workers: undefined, setup: flags.setup || undefined }),
        token,
        corsOrigins: flags.cors ?? [],
        bodyLimit: DEFAULTS.bodyLimit,
        heartbeatMs: DEFAULTS.heartbeatMs,
        pollMs: DEFAULTS.pollMs,
        maxStreamBufferBytes: DEFAULTS.maxStreamBufferBytes,
        streamDrainTimeoutMs: DEFAULTS.streamDrainTimeoutMs,
        version: VERSION,
        logger: { level: flags.logLevel, stream: io.stderr },
      });
      println(io.stdout, `listening on ${server.url}`);
      for (const run of server.unfinished) {
        println(
          io.stdout,
          `unfinished run ${run.id} (${run.status}): POST ${server.url}/api/runs/${run.id}/resume continues it`,
        );
      }
      await untilSignalled(server);
      io.exitCode = 0;
    });
};

/** The token from --token-file or ORCHARD_TOKEN (never from argv: it would show in `ps`). */
async function readToken(flags: ServeFlags, env: NodeJS.ProcessEnv): Promise<string | null> {
  const raw = flags.tokenFile
    ? await readFile(flags.tokenFile, "utf8").catch(() => {
        throw usageError(`--token-file ${flags.tokenFile} cannot be read`);
      })
    : env.ORCHARD_TOKEN;
  // Agents started by this server inherit its environment: the server's token is not theirs to read.
  delete env.ORCHARD_TOKEN;
  if (raw === undefined) return null;
  const token = raw.trim();
  if (token.length < 16)
    throw usageError("the token must be at least 16 characters (from --token-file or ORCHARD_TOKEN)");
  return token;
}

/** First SIGINT/SIGTERM: stop accepting and claiming, let attempts finish; a second kills them. */
async function untilSignalled(server: Awaited<ReturnType<typeof startServer>>): Promise<void> {
  let signals = 0;
  let closed: Promise<void> | undefined;
  await new Promise<void>((done) => {
    const onSignal = () => {
      signals++;
      if (signals === 1) {
        process.stderr.write("stopping: running attempts will finish (signal again to kill them)\n");
        closed = server.close().finally(() => {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          done();
        });
      } else server.kill();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  await closed;
}
