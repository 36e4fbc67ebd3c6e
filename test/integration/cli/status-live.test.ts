import { hostname } from "node:os";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { openRepoStore } from "../../../src/engine/index.js";
import type { WorkerId } from "../../../src/store/types.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { cli, startSlowRun } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

/** `orchard status …` in-process; it must succeed. */
async function status(repo: string, ...args: string[]) {
  const r = await cli(repo, ["status", ...args, "--repo", repo]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe("orchard status tells a running run from one whose process is gone", () => {
  it("shows live while a process executes the run, and a resume hint once none does", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const handle = await startSlowRun(repo.dir);
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
