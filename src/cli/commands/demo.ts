import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startRun } from "../../engine/index.js";
import { Git } from "../../git/index.js";
import { parsePlan } from "../../plan/index.js";
import { DEMO_PLAN } from "../demo-plan.js";
import { println } from "../io.js";
import { intArg } from "../options.js";
import { plainProgress } from "../progress/plain.js";
import { exitCodeFor } from "../progress/summary.js";
import { ttyProgress } from "../progress/tty.js";
import type { RegisterCommand } from "./index.js";
import { printRunSummary } from "./shared.js";

export const registerDemo: RegisterCommand = (program, io) => {
  program
    .command("demo")
    .description("run a bundled example plan with the offline scripted agent in a scratch repository")
    .option("--dir <dir>", "where to create the scratch repository (default: a new temp dir)")
    .option("--workers <n>", "parallel workers", intArg("--workers", 1, 256), 3)
    .action(async (flags: { dir?: string; workers: number }) => {
      const repo = flags.dir ? resolve(io.cwd, flags.dir) : await mkdtemp(join(tmpdir(), "orchard-demo-"));
      await mkdir(repo, { recursive: true });
      const git = new Git(repo);
      await git.run(["init", "-q", "-b", "main", repo], { cwd: repo });
      await writeFile(join(repo, "README.md"), "# greeter\n\nA scratch repository made by `orchard demo`.\n");
      await writeFile(join(repo, ".gitignore"), "__pycache__/\n");
      await writeFile(join(repo, "plan.md"), DEMO_PLAN);
      await git.run(["add", "-A"], { cwd: repo });
      await git.run(
        [
          "-c",
          "user.name=Orchard Demo",
          "-c",
          "user.email=demo@orchard.invalid",
          "commit",
          "-q",
          "-m",
          "Initial commit",
        ],
        { cwd: repo },
      );
      println(io.stdout, `scratch repository: ${repo}`);
      const plan = parsePlan(DEMO_PLAN, { source: join(repo, "plan.md") });
      const handle = await startRun({
        repo,
        plan,
        planPath: join(repo, "plan.md"),
        options: { agent: "scripted", workers: flags.workers },
      });
      const tty = io.stdout.isTTY === true;
      const view = tty
        ? ttyProgress(io.stdout, new Map(plan.tasks.map((t) => [t.id as string, t.title])), plan.tasks.length)
        : null;
      const off = handle.bus.on(view ? view.onEvent : plainProgress(io.stdout));
      const result = await handle.done;
      view?.stop();
      off();
      await printRunSummary(io, repo, result, tty);
      const graph = await git.run(
        ["log", "--graph", "--oneline", "--decorate", "--color=never", result.integrationBranch],
        { cwd: repo },
      );
      println(io.stdout, "");
      println(io.stdout, graph.stdout.trimEnd());
      io.exitCode = exitCodeFor(result, false);
    });
};
