import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { extraJson, renderMarkdown, rowJson, runBench, SCENARIO_NAMES } from "../../bench/index.js";
import { usageError } from "../../errors.js";
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
        ...(flags.repo ? { repo: resolve(io.cwd, flags.repo) } : {}),
      });
      if (flags.json) for (const extra of extraJson(report)) println(io.stdout, JSON.stringify(extra));
      else io.stdout.write(renderMarkdown(report));
      if (flags.out) {
        const out = resolve(io.cwd, flags.out);
        const text = out.endsWith(".json")
          ? `${JSON.stringify({ command, ...report }, null, 2)}\n`
          : renderMarkdown(report, command);
        await writeFile(out, text);
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
