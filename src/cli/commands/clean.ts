import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { type CleanReport, cleanRepo } from "../../engine/index.js";
import { OrchardError } from "../../errors.js";
import { type CliIo, println } from "../io.js";
import type { RegisterCommand } from "./index.js";
import { repoOption } from "./shared.js";

interface CleanFlags {
  repo?: string;
  json?: boolean;
  runs?: string[];
  all?: boolean;
  yes?: boolean;
}

/** `--all` deletes work that may exist nowhere else: asked on a terminal, `--yes` elsewhere. */
async function confirmAll(io: CliIo, flags: CleanFlags): Promise<void> {
  if (!flags.all || flags.yes) return;
  if (!(process.stdin.isTTY && io.stdout.isTTY)) {
    throw new OrchardError(
      "USAGE",
      "`orchard clean --all` deletes every integration branch, landed work included; add --yes to confirm",
    );
  }
  const rl = createInterface({ input: process.stdin, output: io.stdout });
  try {
    const answer = await rl.question(
      "Delete every orchard branch, including integration branches that hold landed work? [y/N] ",
    );
    if (!/^y(es)?$/i.test(answer.trim())) throw new OrchardError("USAGE", "nothing cleaned");
  } finally {
    rl.close();
  }
}

function describe(report: CleanReport): string[] {
  const lines: string[] = [];
  const n = report.removedWorktrees.length;
  lines.push(n === 0 ? "no worktrees to remove" : `removed ${n} worktree${n === 1 ? "" : "s"}`);
  const d = report.deletedRefs.length;
  lines.push(d === 0 ? "deleted no branches" : `deleted ${d} branch${d === 1 ? "" : "es"}:`);
  for (const ref of report.deletedRefs) lines.push(`  ${ref.replace(/^refs\/heads\//, "")}`);
  if (report.keptBranches.length > 0) {
    lines.push("kept:");
    for (const k of report.keptBranches) lines.push(`  ${k.branch}: ${k.why}`);
    lines.push("`orchard clean --runs <run>` removes a run's branches; `--all` removes every one");
  }
  const checkedOut = report.keptRefs.filter((r) => !report.keptBranches.some((k) => r.endsWith(k.branch)));
  for (const ref of checkedOut)
    lines.push(`kept ${ref.replace(/^refs\/heads\//, "")}: checked out in a worktree of yours`);
  return lines;
}

export const registerClean: RegisterCommand = (program, io) => {
  repoOption(
    program
      .command("clean")
      .description(
        "remove Orchard's worktrees and the orchard/* branches nobody needs; integration branches holding landed work stay unless named",
      ),
  )
    .option("--runs <id...>", "also delete these runs' branches, integration branches included")
    .option("--all", "delete every orchard branch (asks on a terminal)")
    .option("--yes", "with --all: do not ask")
    .option("--json", "print JSON")
    .action(async (flags: CleanFlags) => {
      const repo = resolve(io.cwd, flags.repo ?? ".");
      await confirmAll(io, flags);
      const report = await cleanRepo(repo, {
        ...(flags.runs ? { runs: flags.runs } : {}),
        ...(flags.all ? { all: true } : {}),
      });
      if (flags.json) println(io.stdout, JSON.stringify(report));
      else for (const line of describe(report)) println(io.stdout, line);
    });
};
