import { Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { OrchardError } from "../errors.js";
import { isGitError } from "../git/index.js";
import { PlanError } from "../plan/errors.js";
import { COMMANDS } from "./commands/index.js";
import { type CliIo, println } from "./io.js";

export const VERSION = "0.1.0";

/** The CLI as a function of argv and stdio: returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command("orchard")
    .description("Run the tasks of a markdown plan with coding agents in parallel git worktrees.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of COMMANDS) register(program, io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return io.exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // help and version exit through here with code 0; usage mistakes with 1, which we make 2.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof PlanError) {
    println(io.stderr, err.format());
    return 2;
  }
  if (isGitError(err) && err.code === "NOT_A_REPO") {
    println(io.stderr, `orchard: ${err.message}`);
    return 2;
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ");
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
