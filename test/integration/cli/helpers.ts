import { join } from "node:path";
import { Writable } from "node:stream";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/program.js";
import { EventBus, type RunHandle, startRun } from "../../../src/engine/index.js";
import { parsePlan } from "../../../src/plan/index.js";
import { AGENT_FIXTURES } from "../../helpers/orchard.js";

/** The CLI in-process, from `cwd`, with its output captured. */
export async function cli(cwd: string, args: string[]) {
  let stdout = "";
  let stderr = "";
  const sink = (into: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        into(String(chunk));
        done();
      },
    });
  const io: CliIo = {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: {},
    cwd,
    exitCode: 0,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** A one-task run in this process whose agent sleeps for half a minute, once its agent has started. */
export async function startSlowRun(repo: string): Promise<RunHandle> {
  const plan = parsePlan("### Task 1: Slow\n**Files:**\n- Create: `out-1.txt`\n\nx\n", { source: "plan.md" });
  const bus = new EventBus();
  const started = new Promise<void>((resolve) =>
    bus.on((e) => {
      if (e.type === "task:started") resolve();
    }),
  );
  const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 30000 out-{task_id}.txt`;
  const handle = await startRun(
    { repo, plan, options: { agent: "command", agentCommand: agent, workers: 1 } },
    { bus },
  );
  await started;
  return handle;
}
