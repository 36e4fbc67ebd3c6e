import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadRun } from "../../engine/repo-store.js";
import { OrchardError } from "../../errors.js";
import { println } from "../io.js";
import { renderClaudeLog } from "../render/claude-log.js";
import type { RegisterCommand } from "./index.js";
import { repoOption, withStore } from "./shared.js";

export const registerLogs: RegisterCommand = (program, io) => {
  repoOption(
    program
      .command("logs")
      .description("show a run's event log, or a task's output (setup, agent, verification)")
      .argument("<run>", "run id")
      .argument("[task]", "task id"),
  )
    .option("--attempt <n>", "which attempt (default the last)")
    .option("--json", "print JSON")
    .option(
      "--raw",
      "the agent's output as it wrote it (Claude Code's stream-json is shown readable by default)",
    )
    .action(
      async (
        runId: string,
        taskId: string | undefined,
        flags: { repo?: string; json?: boolean; attempt?: string; raw?: boolean },
      ) => {
        await withStore(io, flags.repo, async (store) => {
          const run = await loadRun(store, runId);
          if (!taskId) {
            const events = await store.listEvents(run.id, 0, 100_000);
            if (flags.json) return println(io.stdout, JSON.stringify(events, null, 2));
            for (const e of events) {
              println(
                io.stdout,
                `${String(e.seq).padStart(5)} ${new Date(e.at).toISOString()} ${e.type} ${JSON.stringify(e.data)}`,
              );
            }
            return;
          }
          const attempts = await store.listAttempts(run.id, taskId);
          if (attempts.length === 0) {
            const task = await store.getTask(run.id, taskId);
            if (!task) throw new OrchardError("TASK_NOT_FOUND", `run ${run.id} has no task ${taskId}`);
            return println(
              io.stdout,
              `task ${taskId} has not run yet (${task.status}${task.reason ? `: ${task.reason}` : ""})`,
            );
          }
          const wanted = flags.attempt
            ? attempts.find((a) => a.attempt === Number(flags.attempt))
            : attempts.at(-1);
          if (!wanted)
            throw new OrchardError(
              "USAGE",
              `task ${taskId} has attempts ${attempts.map((a) => a.attempt).join(", ")}`,
            );
          const read = async (path: string | null) =>
            path ? readFile(path, "utf8").catch(() => null) : null;
          const beside = (name: string) => (wanted.logPath ? join(dirname(wanted.logPath), name) : null);
          // The run's setup command ran before the agent and the plan's verification after it, in the slot.
          const [text, setupLog, verifyLog] = await Promise.all([
            read(wanted.logPath).then((t) => t ?? ""),
            read(beside("setup.log")),
            read(beside("verify.log")),
          ]);
          if (flags.json) {
            return println(
              io.stdout,
              JSON.stringify(
                {
                  attempt: wanted,
                  log: text,
                  ...(setupLog === null ? {} : { setupLog }),
                  ...(verifyLog === null ? {} : { verifyLog }),
                },
                null,
                2,
              ),
            );
          }
          println(
            io.stdout,
            `# task ${taskId} attempt ${wanted.attempt}: ${wanted.status}${wanted.reason ? ` (${wanted.reason})` : ""}`,
          );
          const u = wanted.usage;
          if (u && Object.keys(u).length > 0) {
            println(
              io.stdout,
              `# session ${u.sessionId ?? "-"}, model ${u.model ?? "-"}, ${u.turns ?? "?"} turns, ${u.inputTokens ?? 0} in / ${u.outputTokens ?? 0} out tokens${u.costUsd ? `, $${u.costUsd.toFixed(4)}` : ""}`,
            );
          }
          if (setupLog !== null) {
            println(io.stdout, "# setup (--setup), before the agent:");
            io.stdout.write(setupLog);
            println(io.stdout, "# the agent:");
          }
          io.stdout.write(flags.raw ? text : (renderClaudeLog(text, io.stdout.columns ?? 120) ?? text));
          if (verifyLog !== null) {
            println(io.stdout, "# verification:");
            io.stdout.write(verifyLog);
          }
        });
      },
    );
};
