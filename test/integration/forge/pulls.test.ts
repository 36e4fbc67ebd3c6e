import { describe, expect, it } from "vitest";
import { ensurePull, findPull, isForgeError, mergeWhenReady, pushBranch } from "../../../src/forge/index.js";
import { secondaryRateLimit } from "../../fixtures/github/stand-in.js";
import { TOKEN, useForgeWorld } from "./helpers.js";
import { sampleArgv } from "./proc.js";

const FAST = { initialMs: 20, maxMs: 100 };

describe("forge against the GitHub stand-in", () => {
  const world = useForgeWorld();

  it("opens a labelled pull request, and on resume finds and reuses it instead of opening another", async () => {
    await world.branch("orchard/r1/tasks/1", { "src/one.txt": "one\n" });
    const input = {
      head: "orchard/r1/tasks/1",
      base: "main",
      title: "Task 1: one",
      body: "body",
      labels: ["orchard"],
    };
    const first = await ensurePull(world.client, input);
    expect(first).toMatchObject({ number: 1, state: "open", reused: false });
    const again = await ensurePull(world.client, input);
    expect(again).toMatchObject({ number: 1, state: "open", reused: true });
    expect(world.github.pullRequests()).toHaveLength(1);
    expect(world.github.pull(1)?.labels).toEqual(["orchard"]);
  });

  it("answers GitHub's 422 'A pull request already exists' by finding the existing one (reused)", async () => {
    await world.branch("orchard/r1/tasks/1", { "src/one.txt": "one\n" });
    const input = { head: "orchard/r1/tasks/1", base: "main", title: "Task 1", body: "b" };
    await ensurePull(world.client, input);
    // The listing lags behind (as GitHub's search index can): the create meets the real 422.
    world.github.inject({ operationId: "pulls/list", status: 200, body: [] });
    const resumed = await ensurePull(world.client, input);
    expect(resumed).toMatchObject({ number: 1, reused: true });
    expect(world.github.requests.some((r) => r.operationId === "pulls/create" && r.status === 422)).toBe(
      true,
    );
    expect(world.github.pullRequests()).toHaveLength(1);
  });

  it("recognises a merged pull request on resume and does not open a new one", async () => {
    await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    const merged = await mergeWhenReady(world.client, pr.number, { method: "squash", backoff: FAST });
    expect(merged.kind).toBe("merged");
    const found = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    expect(found).toMatchObject({ number: pr.number, state: "merged", reused: true });
    expect(found.mergeCommit).toBe(merged.kind === "merged" ? merged.sha : "");
    expect(world.github.pullRequests()).toHaveLength(1);
  });

  it("polls while GitHub reports mergeable: null (twice) and then squash-merges", async () => {
    world.github.mergeableNullPolls = 2;
    const head = await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    const waits: string[] = [];
    const outcome = await mergeWhenReady(world.client, pr.number, {
      method: "squash",
      expectedHeadSha: head,
      backoff: FAST,
      onWait: (reason) => waits.push(reason),
    });
    expect(waits).toEqual(["GitHub is computing mergeability", "GitHub is computing mergeability"]);
    expect(outcome.kind).toBe("merged");
    const main = await world.github.git(["rev-parse", "main"]);
    expect(outcome).toMatchObject({ sha: main, alreadyMerged: false });
    // Squash: one parent, the change on main.
    expect(await world.github.git(["rev-list", "--parents", "-1", main])).toMatch(
      /^[0-9a-f]{40} [0-9a-f]{40}$/,
    );
    expect(await world.github.git(["show", "main:src/one.txt"])).toBe("one");
  });

  it.each([
    ["merge", 2],
    ["rebase", 1],
  ] as const)("merges with --merge %s", async (method, parents) => {
    await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    const outcome = await mergeWhenReady(world.client, pr.number, { method, backoff: FAST });
    expect(outcome.kind).toBe("merged");
    const line = await world.github.git(["rev-list", "--parents", "-1", "main"]);
    expect(line.split(" ")).toHaveLength(parents + 1);
    expect(await world.github.git(["show", "main:src/one.txt"])).toBe("one");
  });

  it("waits for a required check that is pending, then merges once it is green", async () => {
    world.github.requiredChecks = ["ci"];
    world.github.checks = { ci: [{ status: "in_progress" }, { status: "completed", conclusion: "success" }] };
    await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    const waits: string[] = [];
    const outcome = await mergeWhenReady(world.client, pr.number, {
      method: "squash",
      backoff: FAST,
      onWait: (r) => waits.push(r),
    });
    expect(waits).toEqual(["waiting for checks: ci"]);
    expect(outcome.kind).toBe("merged");
  });

  it("reports a failing required check by name and leaves the pull request open", async () => {
    world.github.requiredChecks = ["ci"];
    world.github.checks = { ci: [{ status: "completed", conclusion: "failure" }] };
    await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    const outcome = await mergeWhenReady(world.client, pr.number, { method: "squash", backoff: FAST });
    expect(outcome).toMatchObject({ kind: "checks_failed", checks: ["ci"] });
    expect(world.github.pull(pr.number)).toMatchObject({ state: "open", merged: false });
  });

  it("reports GitHub's reason when a review is required", async () => {
    world.github.requireReview = true;
    await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    const outcome = await mergeWhenReady(world.client, pr.number, {
      method: "squash",
      backoff: FAST,
      maxMergeAttempts: 1,
    });
    expect(outcome).toMatchObject({ kind: "not_mergeable" });
    expect(outcome.kind !== "merged" && outcome.reason).toMatch(/approving review is required/);
  });

  it("tries again after one 405 'not mergeable', and reports GitHub's reason when it persists", async () => {
    const notMergeable = {
      operationId: "pulls/merge",
      status: 405,
      body: { message: "Pull Request is not mergeable", documentation_url: "https://docs.github.com/rest" },
    };
    await world.branch("t1", { "src/one.txt": "one\n" });
    await world.branch("t2", { "src/two.txt": "two\n" });
    const one = await ensurePull(world.client, { head: "t1", base: "main", title: "T1", body: "b" });
    world.github.inject(notMergeable);
    expect((await mergeWhenReady(world.client, one.number, { method: "squash", backoff: FAST })).kind).toBe(
      "merged",
    );

    const two = await ensurePull(world.client, { head: "t2", base: "main", title: "T2", body: "b" });
    world.github.inject({ ...notMergeable, times: 3 });
    const outcome = await mergeWhenReady(world.client, two.number, {
      method: "squash",
      backoff: FAST,
      maxMergeAttempts: 3,
    });
    expect(outcome).toEqual({
      kind: "not_mergeable",
      reason: "GitHub refused to merge #2 (405): Pull Request is not mergeable",
    });
    expect(world.github.pull(two.number)?.merged).toBe(false);
  });

  it("a 409 (head changed) gets a fresh look: merged when the head is still Orchard's, reported when someone pushed", async () => {
    const head = await world.branch("t1", { "src/one.txt": "one\n" });
    const pr = await ensurePull(world.client, { head: "t1", base: "main", title: "T", body: "b" });
    world.github.inject({
      operationId: "pulls/merge",
      status: 409,
      body: { message: "Head branch was modified. Review and try the merge again.", documentation_url: "x" },
    });
    expect(
      await mergeWhenReady(world.client, pr.number, {
        method: "squash",
        expectedHeadSha: head,
        backoff: FAST,
      }),
    ).toMatchObject({ kind: "merged" });

    const head2 = await world.branch("t2", { "src/two.txt": "two\n" });
    const pr2 = await ensurePull(world.client, { head: "t2", base: "main", title: "T2", body: "b" });
    const pushed = await world.branch("someone", { "src/two.txt": "someone else\n" }, head2);
    await pushBranch(world.git, { remote: "origin", commit: pushed, branch: "t2", token: TOKEN });
    const outcome = await mergeWhenReady(world.client, pr2.number, {
      method: "squash",
      expectedHeadSha: head2,
      backoff: FAST,
    });
    expect(outcome.kind).toBe("head_changed");
  });

  it("reports a conflict between two pull requests after the first merged", async () => {
    await world.branch("t1", { "src/a.txt": "from one\n" });
    await world.branch("t2", { "src/a.txt": "from two\n" });
    const one = await ensurePull(world.client, { head: "t1", base: "main", title: "T1", body: "b" });
    const two = await ensurePull(world.client, { head: "t2", base: "main", title: "T2", body: "b" });
    expect((await mergeWhenReady(world.client, one.number, { method: "squash", backoff: FAST })).kind).toBe(
      "merged",
    );
    const outcome = await mergeWhenReady(world.client, two.number, { method: "squash", backoff: FAST });
    expect(outcome.kind).toBe("conflict");
  });

  it("waits out a secondary rate limit (403 with retry-after) and continues", async () => {
    await world.branch("t1", { "src/one.txt": "one\n" });
    const limits: Array<[number, string]> = [];
    const client = world.clientWith({ onRateLimit: (s, kind) => limits.push([s, kind]) });
    world.github.inject(secondaryRateLimit("pulls/create", 1));
    const pr = await ensurePull(client, { head: "t1", base: "main", title: "T", body: "b" });
    expect(pr.state).toBe("open");
    expect(limits).toEqual([[1, "secondary"]]);
    expect(
      world.github.requests.filter((r) => r.operationId === "pulls/create").map((r) => r.status),
    ).toEqual([403, 201]);
  });

  it("waits for the primary rate limit's reset (x-ratelimit-remaining: 0) and continues", async () => {
    await world.branch("t1", { "src/one.txt": "one\n" });
    const limits: string[] = [];
    const client = world.clientWith({ onRateLimit: (_s, kind) => limits.push(kind) });
    const reset = String(Math.ceil(Date.now() / 1000));
    world.github.inject({
      operationId: "pulls/list",
      status: 403,
      body: {
        message: "API rate limit exceeded for user ID 1.",
        documentation_url: "https://docs.github.com/rest",
      },
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
    });
    expect(await findPull(client, "t1", "main")).toBeNull();
    expect(limits).toEqual(["primary"]);
  });

  it("a refused token is AUTH with what to check, for the API and for a push", async () => {
    const bad = world.clientWith({ token: "ghp_wrong" });
    const error = await findPull(bad, "t1", "main").catch((e: unknown) => e);
    expect(isForgeError(error, "AUTH")).toBe(true);
    const head = await world.github.git(["rev-parse", "main"]);
    const push = await pushBranch(world.git, {
      remote: "origin",
      commit: head,
      branch: "x",
      token: "ghp_wrong",
    }).catch((e: unknown) => e);
    expect(isForgeError(push, "AUTH")).toBe(true);
  });

  it("pushes with the token through GIT_ASKPASS, never in any process's argv; a lease on a moved branch is refused", async () => {
    const sampler = sampleArgv();
    world.github.gitGate = () => sampler.pass();
    const first = await world.branch("t1", { "src/one.txt": "one\n" });
    world.github.gitGate = null;
    const argv = await sampler.stop();
    expect(argv.some((a) => /\bgit\b.*\bpush\b/.test(a) || a.includes("remote-http"))).toBe(true);
    expect(argv.filter((a) => a.includes(TOKEN))).toEqual([]);
    expect(
      world.github.gitAuthorizations.some(
        (h) => h === `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`,
      ),
    ).toBe(true);
    const second = await world.branch("t1-next", { "src/one.txt": "two\n" });
    // Expecting the branch not to exist: it does, so the lease is lost.
    const lost = await pushBranch(world.git, {
      remote: "origin",
      commit: second,
      branch: "t1",
      lease: null,
      token: TOKEN,
    }).catch((e: unknown) => e);
    expect(isForgeError(lost, "LEASE_LOST")).toBe(true);
    await pushBranch(world.git, {
      remote: "origin",
      commit: second,
      branch: "t1",
      lease: first,
      token: TOKEN,
    });
    expect(await world.github.git(["rev-parse", "t1"])).toBe(second);
  });

  it("the stand-in fails a test on a request GitHub's description does not allow", async () => {
    await world.client.octokit.request("GET /repos/{owner}/{repo}/pulls", {
      owner: "acme",
      repo: "widgets",
      state: "bogus" as "open",
    });
    expect(world.github.violations.join("\n")).toMatch(/pulls\/list request: state=bogus/);
    world.github.violations.length = 0;
  });
});
