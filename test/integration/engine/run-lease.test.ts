import { hostname } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { openRepoStore, type RunHandle, resumeRun } from "../../../src/engine/index.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { AGENT_FIXTURES, orchard } from "../../helpers/orchard.js";
import { startSlowRun } from "../cli/helpers.js";

const repos: TestRepo[] = [];
const handles: RunHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) {
    h.kill();
    await h.done.catch(() => {});
  }
  for (const r of repos.splice(0)) await r.cleanup();
});

/** Issue 20 item 3: one process drives a run at a time. */
describe("the run lease", () => {
  it("of two resumes started at once, one drives the run and the other is refused, naming the holder", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const first = await startSlowRun(repo.dir);
    first.kill();
    await first.done;

    // One store for both: two SQLite connections in one thread would block each other (better-sqlite3 is
    // synchronous); two processes, as the CLI test below and the trial, do not share one.
    const store = await openRepoStore(repo.dir);
    onTestFinished(() => store.close());
    const both = await Promise.allSettled([
      resumeRun({ repo: repo.dir, runId: first.runId }, { store }),
      resumeRun({ repo: repo.dir, runId: first.runId }, { store }),
    ]);
    const won = both.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const lost = both.filter((r) => r.status === "rejected").map((r) => r.reason as Error);
    handles.push(...won);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toContain(`is being driven by pid ${process.pid} on ${hostname()}`);

    // A second process says the same and exits non-zero.
    const r = await orchard(["resume", first.runId], { cwd: repo.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`is being driven by pid ${process.pid} on ${hostname()}`);
  });

  it("a run whose driver is gone (released or dead) can be resumed", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const first = await startSlowRun(repo.dir);
    first.kill();
    await first.done;
    const again = await resumeRun({ repo: repo.dir, runId: first.runId });
    handles.push(again);
    again.kill();
    expect((await again.done).status).toBe("interrupted");
  });
});

describe("resume after a crash mid-integration", () => {
  it("frees the integration lock its dead predecessor held instead of waiting out its time limit", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const first = await startSlowRun(repo.dir);
    first.kill();
    await first.done;
    // The lock as a process SIGKILLed while landing leaves it: held by a pid that is gone, for 10 minutes.
    const exited = execa("node", ["-e", ""]);
    const gonePid = exited.pid;
    await exited;
    const store = await openRepoStore(repo.dir);
    onTestFinished(() => store.close());
    expect(await store.tryLock(`integrate:${first.runId}`, `${hostname()}:${gonePid}:dead00`, 600_000)).toBe(
      true,
    );
    const fast = `node ${join(AGENT_FIXTURES, "sleep.mjs")} 1 out-{task_id}.txt`;
    const resumed = await resumeRun(
      { repo: repo.dir, runId: first.runId, options: { agentCommand: fast } },
      { store },
    );
    const result = await resumed.done;
    expect(result.status).toBe("succeeded");
    expect(result.tasks.map((t) => t.status)).toEqual(["landed"]);
  });
});
