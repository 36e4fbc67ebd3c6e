import { hostname } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/program.js";
import { EventBus, openRepoStore, startRun } from "../../../src/engine/index.js";
import { parsePlan } from "../../../src/plan/index.js";
import type { WorkerId } from "../../../src/store/types.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES } from "../../helpers/orchard.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

/** `orchard status …` in-process, with its output captured. */
async function status(repo: string, ...args: string[]) {
  let text = "";
  const stdout = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  const io: CliIo = {
    stdout,
    stderr: new Writable({ write: (_c, _e, d) => d() }),
    env: {},
    cwd: repo,
    exitCode: 0,
  };
  const code = await runCli(["status", ...args, "--repo", repo], io);
  expect(code).toBe(0);
  return text;
}

describe("orchard status tells a running run from one whose process is gone", () => {
  it("shows live while a process executes the run, and a resume hint once none does", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const plan = parsePlan("### Task 1: Slow\n**Files:**\n- Create: `out-1.txt`\n\nx\n", {
      source: "plan.md",
    });
    const bus = new EventBus();
    const started = new Promise<void>((resolve) =>
      bus.on((e) => {
        if (e.type === "task:started") resolve();
      }),
    );
    const agent = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 30000 out-{task_id}.txt`;
    const handle = await startRun(
      { repo: repo.dir, plan, options: { agent: "command", agentCommand: agent, workers: 1 } },
      { bus },
    );
    await started;
    const running = JSON.parse(await status(repo.dir, handle.runId, "--json")) as {
      status: string;
      live: boolean;
    };
    expect(running).toMatchObject({ status: "running", live: true });
    expect(await status(repo.dir)).not.toMatch(/no live process/);
    handle.kill();
    await handle.done;

    // What a killed `orchard run` leaves: the run still `running`, its worker's process gone.
    const gone = execa("true");
    const pid = gone.pid;
    await gone;
    const store = await openRepoStore(repo.dir);
    try {
      await store.updateRun(handle.runId, { status: "running", finishedAt: null, reason: null });
      const now = Date.now();
      await store.registerWorker({
        id: "gone/w1" as WorkerId,
        runId: handle.runId,
        host: hostname(),
        pid: pid!,
        startedAt: now,
        heartbeatAt: now,
      });
    } finally {
      await store.close();
    }
    const list = JSON.parse(await status(repo.dir, "--json")) as Array<{
      id: string;
      status: string;
      live: boolean;
    }>;
    expect(list).toEqual([expect.objectContaining({ id: handle.runId, status: "running", live: false })]);
    const hint = `no live process (killed or crashed): \`orchard resume ${handle.runId}\` continues it`;
    expect(await status(repo.dir)).toContain(hint);
    expect((await status(repo.dir, handle.runId)).split("\n")[0]).toContain(hint);
  });
});
