import { cancelRun, retryTask } from "../../engine/index.js";
import { println } from "../io.js";
import type { RegisterCommand } from "./index.js";
import { repoOption, withStore } from "./shared.js";

export const registerControl: RegisterCommand = (program, io) => {
  repoOption(
    program
      .command("cancel")
      .description("cancel a run: running agents are killed")
      .argument("<run>", "run id"),
  )
    .option("--json", "print JSON")
    .action(async (runId: string, flags: { repo?: string; json?: boolean }) => {
      await withStore(io, flags.repo, async (store) => {
        const outcome = await cancelRun(store, runId);
        if (flags.json) println(io.stdout, JSON.stringify({ runId, outcome }));
        else
          println(
            io.stdout,
            outcome === "cancelled"
              ? `run ${runId} cancelled`
              : `cancel requested: the process running ${runId} will stop it`,
          );
      });
    });

  repoOption(
    program
      .command("retry")
      .description("make a failed or skipped task runnable again, then `orchard resume` runs it")
      .argument("<run>", "run id")
      .argument("<task>", "task id"),
  )
    .option("--json", "print JSON")
    .action(async (runId: string, taskId: string, flags: { repo?: string; json?: boolean }) => {
      await withStore(io, flags.repo, async (store) => {
        const reset = await retryTask(store, runId, taskId);
        if (flags.json) println(io.stdout, JSON.stringify({ runId, reset }));
        else
          println(
            io.stdout,
            `queued again: ${reset.join(", ")}; run \`orchard resume ${runId}\` to run them`,
          );
      });
    });
};
