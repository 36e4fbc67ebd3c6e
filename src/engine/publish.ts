import { OrchardError } from "../errors.js";
import {
  createForgeClient,
  ensurePull,
  type ForgeClient,
  fetchBranch,
  findPull,
  isForgeError,
  MISSING_TOKEN_MESSAGE,
  mergeWhenReady,
  type PullRef,
  parseRemote,
  pushBranch,
  resolveToken,
  runPullBody,
  taskPullBody,
  taskPullTitle,
  updatePullBody,
} from "../forge/index.js";
import { type Git, ORCHARD_IDENTITY } from "../git/index.js";
import type { RunRecord, TaskRecord } from "../store/types.js";
import type { RunContext } from "./context.js";
import type { EngineEvent } from "./events.js";
import type { RunOptions } from "./options.js";
import { integrationBranch, taskBranch } from "./refs.js";

/** Where pull requests go, worked out before any agent runs so a missing token fails the run at once. */
export interface ForgeTarget {
  client: ForgeClient;
  token: string;
  remote: string;
  base: string;
}

export interface PublishedPull {
  taskId: string | null;
  number: number;
  url: string;
  state: "open" | "merged" | "blocked";
  reason?: string;
}

/**
 * For `--land pr|run-pr`: the token (GITHUB_TOKEN, GH_TOKEN, `gh auth token`), the GitHub repository
 * from the remote's URL, and the base branch. Null for `--land merge`.
 */
export async function prepareForge(
  git: Git,
  options: RunOptions,
  env = process.env,
): Promise<ForgeTarget | null> {
  if (options.land === "merge") return null;
  const source = await resolveToken(env);
  if (!source) throw new OrchardError("USAGE", MISSING_TOKEN_MESSAGE);
  // Pushed to by URL, not by name: a push to a named remote also writes remote-tracking refs
  // (refs/remotes/…) into the user's repository, and Orchard writes only under refs/heads/orchard/.
  // `--push` honours pushurl and insteadOf as a push to the name would.
  const url = await git.run(["remote", "get-url", "--push", options.githubRemote], { readOnly: true }).then(
    (r) => r.stdout.trim(),
    () => {
      throw new OrchardError(
        "USAGE",
        `--land ${options.land} pushes to the git remote "${options.githubRemote}", which this repository does not have: add it or pass --github-remote`,
      );
    },
  );
  let coordinates: { owner: string; repo: string };
  try {
    coordinates = parseRemote(url);
  } catch (error) {
    throw new OrchardError("USAGE", (error as Error).message);
  }
  const base = options.prBase ?? options.into ?? (await currentBranch(git));
  if (!base) {
    throw new OrchardError(
      "USAGE",
      "no branch is checked out to open pull requests against: pass --pr-base <branch>",
    );
  }
  const client = createForgeClient({
    ...coordinates,
    token: source.token,
    ...(options.githubApiUrl ? { apiUrl: options.githubApiUrl } : {}),
  });
  return { client, token: source.token, remote: url, base };
}

async function currentBranch(git: Git): Promise<string | null> {
  const result = await git.run(["symbolic-ref", "--quiet", "--short", "HEAD"], {
    readOnly: true,
    okExitCodes: [1],
  });
  return result.stdout.trim() || null;
}

/**
 * After the run: pushes each landed task's branch and opens (or finds) its pull request in landing order,
 * and with `--merge` merges them in that order. A pull request that cannot merge stops the merging (the
 * ones after it are left open: they may depend on it); GitHub's reason is reported.
 */
export async function publishRun(
  ctx: RunContext,
  target: ForgeTarget,
  run: RunRecord,
): Promise<PublishedPull[]> {
  if (ctx.options.land === "run-pr") return [await publishRunPull(ctx, target, run)];
  const tasks = new Map((await ctx.store.listTasks(ctx.runId)).map((t) => [t.taskId, t]));
  const numbers = new Map<string, number>();
  const out: PublishedPull[] = [];
  let merging = ctx.options.mergeMethod !== undefined;
  // The integration branch as it stood before each task landed: what GitHub's base holds once the pull
  // requests before it are merged.
  let before = run.baseCommit;
  for (const taskId of ctx.landingOrder) {
    const task = tasks.get(taskId);
    if (task?.status !== "landed" || !task.resultCommit) continue;
    const branch = taskBranch(ctx.runId, taskId);
    const text = {
      title: taskPullTitle({ taskId, title: task.title }),
      body: await taskBody(ctx, task, numbers),
    };
    let pull = await pushAndOpen(ctx, target, branch, task.resultCommit, text);
    numbers.set(taskId, pull.number);
    let published: PublishedPull = {
      taskId,
      number: pull.number,
      url: pull.url,
      state: pull.state === "merged" ? "merged" : "open",
    };
    if (merging && published.state === "open") {
      let outcome = await mergeOne(ctx, target, pull, taskId, task.resultCommit);
      if (outcome.conflict && ctx.options.onConflict === "retry" && task.landedCommit) {
        const replayed = await replayOnBase(ctx, target, {
          before,
          after: task.landedCommit,
          text: text.title,
        });
        if (typeof replayed === "string") {
          await pushBranch(ctx.git, {
            remote: target.remote,
            commit: replayed,
            branch,
            lease: pull.headSha,
            token: target.token,
          });
          pull = { ...pull, headSha: replayed };
          outcome = await mergeOne(ctx, target, pull, taskId, replayed);
        } else {
          outcome = {
            ...outcome,
            pull: { ...outcome.pull, reason: `${outcome.pull.reason}; ${replayed.reason}` },
          };
        }
      }
      published = outcome.pull;
      if (published.state !== "merged") merging = false;
    }
    if (task.landedCommit) before = task.landedCommit;
    emitPull(ctx, published, pull.reused);
    out.push(published);
  }
  return out;
}

async function publishRunPull(ctx: RunContext, target: ForgeTarget, run: RunRecord): Promise<PublishedPull> {
  const head = run.integrationHead ?? run.baseCommit;
  const rows = [];
  for (const task of await ctx.store.listTasks(ctx.runId))
    rows.push({ ...(await usage(ctx, task)), taskId: task.taskId, title: task.title, status: task.status });
  const body = runPullBody(ctx.runId, rows);
  const branch = integrationBranch(ctx.runId);
  const pull = await pushAndOpen(ctx, target, branch, head, {
    title: `Orchard run ${ctx.runId}: ${ctx.plan.title ?? "plan"}`,
    body,
  });
  if (pull.reused && pull.state === "open") await updatePullBody(target.client, pull.number, body);
  let published: PublishedPull = {
    taskId: null,
    number: pull.number,
    url: pull.url,
    state: pull.state === "merged" ? "merged" : "open",
  };
  if (ctx.options.mergeMethod && published.state === "open")
    published = (await mergeOne(ctx, target, pull, null, head)).pull;
  emitPull(ctx, published, pull.reused);
  return published;
}

/** Pushes `commit` to `branch` (with a lease on what its pull request last held) and opens or finds the pull request. */
async function pushAndOpen(
  ctx: RunContext,
  target: ForgeTarget,
  branch: string,
  commit: string,
  text: { title: string; body: string },
): Promise<PullRef> {
  const existing = await findPull(target.client, branch, target.base);
  if (existing?.state === "merged") return existing;
  const push = { remote: target.remote, commit, branch, token: target.token };
  if (existing?.headSha !== commit) {
    try {
      await pushBranch(ctx.git, { ...push, lease: existing ? existing.headSha : null });
    } catch (error) {
      // Only Orchard pushes to its run's branches: one there without a pull request is an earlier push of
      // this run that stopped before the pull request was opened.
      if (existing || !isForgeError(error, "LEASE_LOST")) throw error;
      await pushBranch(ctx.git, { ...push, force: true });
    }
  }
  return ensurePull(target.client, {
    head: branch,
    base: target.base,
    ...text,
    labels: ctx.options.prLabels,
  });
}

async function mergeOne(
  ctx: RunContext,
  target: ForgeTarget,
  pull: PullRef,
  taskId: string | null,
  head: string,
): Promise<{ pull: PublishedPull; conflict: boolean }> {
  const outcome = await mergeWhenReady(target.client, pull.number, {
    method: ctx.options.mergeMethod ?? "squash",
    expectedHeadSha: head,
    timeoutMs: ctx.options.prMergeTimeoutS * 1000,
    onWait: (reason) =>
      ctx.bus.emit({ type: "forge:waiting", runId: ctx.runId, number: pull.number, reason }),
  });
  const base = { taskId, number: pull.number, url: pull.url };
  if (outcome.kind === "merged")
    return { pull: { ...base, state: "merged", reason: outcome.sha }, conflict: false };
  return {
    pull: { ...base, state: "blocked", reason: outcome.reason },
    conflict: outcome.kind === "conflict",
  };
}

/**
 * `--on-conflict retry` for a pull request that conflicts once an earlier one merged (a squash or rebase
 * merge leaves GitHub's base without the commits the task was built on). The task was already re-run on
 * top of the earlier work when it was merged locally, so its resolved result is the integration branch
 * after it landed: that tree, as one commit on GitHub's new base, force-pushed with a lease. Only when
 * GitHub's base holds exactly the integration branch from before the task: otherwise someone else's
 * work is there and the conflict is left for people.
 */
async function replayOnBase(
  ctx: RunContext,
  target: ForgeTarget,
  input: { before: string; after: string; text: string },
): Promise<string | { reason: string }> {
  const localRef = `refs/heads/orchard/${ctx.runId}/github-base`;
  const base = await fetchBranch(ctx.git, {
    remote: target.remote,
    branch: target.base,
    localRef,
    token: target.token,
  });
  const [baseTree, beforeTree, afterTree] = await Promise.all(
    [base, input.before, input.after].map(async (c) =>
      (await ctx.git.run(["rev-parse", `${c}^{tree}`], { readOnly: true })).stdout.trim(),
    ),
  );
  if (baseTree !== beforeTree) {
    return {
      reason: `${target.base} on GitHub holds work from outside this run; resolve the conflict by hand`,
    };
  }
  const env = {
    GIT_AUTHOR_NAME: ORCHARD_IDENTITY.name,
    GIT_AUTHOR_EMAIL: ORCHARD_IDENTITY.email,
    GIT_COMMITTER_NAME: ORCHARD_IDENTITY.name,
    GIT_COMMITTER_EMAIL: ORCHARD_IDENTITY.email,
  };
  const message = `${input.text}\n\nOrchard-Run: ${ctx.runId}\n`;
  const { stdout } = await ctx.git.run(["commit-tree", afterTree as string, "-p", base], {
    input: message,
    env,
  });
  return stdout.trim();
}

function emitPull(ctx: RunContext, pull: PublishedPull, reused: boolean): void {
  const event: EngineEvent = {
    type: "forge:pull",
    runId: ctx.runId,
    taskId: pull.taskId,
    number: pull.number,
    url: pull.url,
    state: pull.state,
    reused,
    ...(pull.state === "merged" && pull.reason ? { mergeCommit: pull.reason } : {}),
    ...(pull.state === "blocked" && pull.reason ? { reason: pull.reason } : {}),
  };
  ctx.bus.emit(event);
}

async function taskBody(
  ctx: RunContext,
  task: TaskRecord,
  numbers: ReadonlyMap<string, number>,
): Promise<string> {
  const plan = ctx.tasks.get(task.taskId);
  const deps = [...(plan?.dependsOn ?? []), ...(plan?.inferredDependsOn ?? [])];
  return taskPullBody({
    runId: ctx.runId,
    taskId: task.taskId,
    title: task.title,
    files: plan?.files.map((f) => f.path) ?? [],
    verification: plan?.verification.commands ?? [],
    ...(await usage(ctx, task)),
    dependsOn: deps.map((d) => {
      const pull = numbers.get(d);
      return pull === undefined ? { taskId: d } : { taskId: d, pull };
    }),
  });
}

/** The agent and what the task's attempts spent, summed. */
async function usage(
  ctx: RunContext,
  task: TaskRecord,
): Promise<{ agent: string; costUsd?: number; inputTokens?: number; outputTokens?: number }> {
  const attempts = await ctx.store.listAttempts(ctx.runId, task.taskId);
  const sum = (pick: (a: (typeof attempts)[number]) => number | undefined) => {
    const values = attempts.map(pick).filter((v): v is number => v !== undefined);
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
  };
  const costUsd = sum((a) => a.usage?.costUsd);
  const inputTokens = sum((a) => a.usage?.inputTokens);
  const outputTokens = sum((a) => a.usage?.outputTokens);
  const plan = ctx.tasks.get(task.taskId);
  return {
    agent: plan ? ctx.resolvePreset(plan).name : (ctx.options.agent ?? "default"),
    ...(costUsd === undefined ? {} : { costUsd }),
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
  };
}
