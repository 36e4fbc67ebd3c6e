import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.js";
import { type CliIo, println } from "./io.js";

export const VERSION = "0.1.0";

/** The CLI as a function of argv and stdio: returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command("orchard")
    .description("Run the tasks of a markdown plan with coding agents in parallel git worktrees.")
    .version(VERSION)
    .option(
      "--store <url>",
      "a shared PostgreSQL store, postgres://user@host/db (default: $ORCHARD_STORE_URL, else the repository's SQLite store)",
    )
    .hook("preAction", async (cmd) => {
      const { useStoreUrl } = await import("../store/url.js");
      useStoreUrl(cmd.opts<{ store?: string }>().store ?? io.env.ORCHARD_STORE_URL);
      // The URL may hold a password: children (agents, git, checks) must not inherit it.
      delete process.env.ORCHARD_STORE_URL;
    })
    // `--store` belongs to every command: each command's help lists it.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  try {
    await registerCommands(program, argv, io);
    await program.parseAsync(argv, { from: "user" });
    return io.exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

/**
 * Registers the command argv names (`orchard help <command>` too) in full, loading its module only;
 * every other command gets a line for the help listing and nothing is loaded for it.
 */
async function registerCommands(program: Command, argv: string[], io: CliIo): Promise<void> {
  const first = argv.find((a) => !a.startsWith("-"));
  const wanted = first === "help" ? argv[argv.indexOf(first) + 1] : first;
  const chosen = COMMANDS.find((c) => c.name === wanted);
  if (chosen) {
    (await chosen.load())(program, io);
    return;
  }
  for (const c of COMMANDS) program.command(c.name).description(c.summary);
  program.addHelpText("after", "\n`orchard <command> --help` shows a command's arguments and options.");
}

async function reportError(err: unknown, io: CliIo): Promise<number> {
  if (err instanceof CommanderError) {
    // help and version exit through here with code 0; usage mistakes with 1, which we make 2.
    return err.exitCode === 0 ? 0 : 2;
  }
  // Loaded only on the way out with an error: none of them is needed to start.
  const [{ OrchardError }, { isGitError }, { PlanError }, { ZodError }, { describeIssue }] =
    await Promise.all([
      import("../errors.js"),
      import("../git/errors.js"),
      import("../plan/errors.js"),
      import("zod"),
      import("./config.js"),
    ]);
  if (err instanceof PlanError) {
    println(io.stderr, err.format());
    return 2;
  }
  if (isGitError(err) && err.code === "NOT_A_REPO") {
    println(io.stderr, `orchard: ${err.message}`);
    return 2;
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => `${i.path.join(".") || "options"} ${describeIssue(i)}`).join("; ");
    println(io.stderr, `orchard: invalid options: ${issues}`);
    return 2;
  }
  if (err instanceof OrchardError) {
    // A command that has printed its own explanation says so; the code still decides the exit.
    if (!err.details?.reported) println(io.stderr, `orchard: ${err.message}`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  println(io.stderr, `orchard: internal error: ${e.message}`);
  if (io.env.ORCHARD_DEBUG) println(io.stderr, e.stack ?? "");
  return 1;
}
