import { constants } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { extraJson, renderMarkdown, rowJson, runBench, SCENARIO_NAMES } from "../../bench/index.js";
import { OrchardError, usageError } from "../../errors.js";
import { isGitError } from "../../git/errors.js";
import { Git } from "../../git/git.js";
import { ensureRepo } from "../../git/repo.js";
import { println } from "../io.js";
import { choiceArg, intArg } from "../options.js";
import type { RegisterCommand } from "./index.js";

interface BenchFlags {
  scenario?: string[];
  repeat?: number;
  json?: boolean;
  out?: string;
  quick?: boolean;
  repo?: string;
  pgUrl?: string;
  pg: boolean;
  sideBySide: boolean;
}

const scenarioArg = choiceArg("--scenario", SCENARIO_NAMES);

export const registerBench: RegisterCommand = (program, io) => {
  program
    .command("bench")
    .description(
      "measure Orchard through the full engine: efficiency, per-phase times, pooled slots, store throughput",
    )
    .option(
      "--scenario <name...>",
      `scenarios to run (${SCENARIO_NAMES.join(", ")}; default all)`,
      (v: string, prev: string[] = []) => [...prev, scenarioArg(v)],
    )
    .option(
      "--repeat <n>",
      "timed repetitions per row, after one untimed warm-up (default 5)",
      intArg("--repeat"),
    )
    .option("--json", "print one JSON object per line: each scenario row, then the side-by-sides and targets")
    .option(
      "--out <file>",
      "also write the report to a file (JSON when it ends in .json, markdown otherwise)",
    )
    .option(
      "--quick",
      "tiny durations, one repetition, the small repository only: checks the harness, not speed",
    )
    .option("--repo <path>", "run on a clone of this repository instead of the generated ones")
    .option(
      "--pg-url <url>",
      "PostgreSQL for the store comparison (default postgres://postgres@127.0.0.1:5432/postgres)",
    )
    .option("--no-pg", "skip PostgreSQL")
    .option("--no-side-by-side", "run the scenarios only: no slot or store comparison")
    .action(async (flags: BenchFlags) => {
      if (flags.repeat === 0) throw usageError("--repeat must be at least 1");
      const command = canonicalCommand(flags);
      // A whole invocation takes minutes: what would make it fail at the end is checked first.
      const repo = flags.repo ? await checkRepo(resolve(io.cwd, flags.repo)) : undefined;
      const out = flags.out ? await checkOut(resolve(io.cwd, flags.out)) : undefined;
      const report = await runBench({
        scenarios: flags.scenario ?? [],
        quick: flags.quick ?? false,
        scenariosOnly: !flags.sideBySide,
        pgUrl: flags.pg ? (flags.pgUrl ?? undefined) : null,
        log: (line) => println(io.stderr, line),
        onRow: (row) => {
          if (flags.json) println(io.stdout, JSON.stringify(rowJson(row)));
        },
        ...(flags.repeat !== undefined ? { repeat: flags.repeat } : {}),
        ...(repo ? { repo } : {}),
      });
      if (flags.json) for (const extra of extraJson(report)) println(io.stdout, JSON.stringify(extra));
      else io.stdout.write(renderMarkdown(report));
      if (out) {
        const text = out.endsWith(".json")
          ? `${JSON.stringify({ command, ...report }, null, 2)}\n`
          : renderMarkdown(report, command);
        await writeFile(out, text).catch((err: Error) => {
          // The report is on stdout already: only the copy is lost.
          throw new OrchardError(
            "INTERNAL",
            `could not write the report to ${out}: ${err.message} (the report is on standard output)`,
          );
        });
      }
      const broken = report.rows.filter((r) => r.failedRuns > 0 || r.duplicates > 0);
      if (broken.length > 0) {
        println(
          io.stderr,
          `orchard bench: runs failed or executed tasks twice in: ${broken.map((r) => r.name).join(", ")}`,
        );
        io.exitCode = 1;
      }
    });
};

/** `--repo` must be a git work tree with a commit to clone. */
async function checkRepo(dir: string): Promise<string> {
  await ensureRepo(dir).catch((err: unknown) => {
    if (!isGitError(err) || err.code !== "NOT_A_REPO") throw err;
    throw usageError(
      `--repo ${dir} is not a git work tree (or does not exist): name a repository's checkout`,
    );
  });
  const head = await new Git(dir).run(["rev-parse", "-q", "--verify", "HEAD^{commit}"], {
    readOnly: true,
    okExitCodes: [1],
  });
  if (head.exitCode !== 0) throw usageError(`--repo ${dir} has no commit to clone: commit something first`);
  return dir;
}

/** `--out` must name a file in a directory that exists and can be written to. */
async function checkOut(file: string): Promise<string> {
  const isDir = await stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) throw usageError(`--out ${file} is a directory: name a file in it, such as ${file}/bench.md`);
  const dir = dirname(file);
  await access(dir, constants.W_OK).catch(() => {
    throw usageError(`--out ${file}: the directory ${dir} does not exist or cannot be written to`);
  });
  return file;
}

/** The command line that reproduces this report, for the report itself. */
function canonicalCommand(flags: BenchFlags): string {
  const words = ["orchard", "bench"];
  for (const s of flags.scenario ?? []) words.push("--scenario", s);
  if (flags.repeat !== undefined) words.push("--repeat", String(flags.repeat));
  if (flags.quick) words.push("--quick");
  if (flags.repo) words.push("--repo", flags.repo);
  if (!flags.pg) words.push("--no-pg");
  if (!flags.sideBySide) words.push("--no-side-by-side");
  if (flags.json) words.push("--json");
  if (flags.out) words.push("--out", flags.out);
  return words.join(" ");
}
