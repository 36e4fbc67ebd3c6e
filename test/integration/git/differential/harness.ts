/**
 * The differential harness (issue 19): a task script run through Orchard (one task, landed) and through
 * plain git — `git add -A && git commit` in a fresh worktree at the base, `git merge --no-ff` in another —
 * and the results compared: trees, parents, authors and committers (dates aside), signatures and
 * encodings, reflogs, and the user's checkout byte for byte.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { snapshotCheckout, type TestRepo } from "../../../helpers/git-repo.js";
import { AGENT_FIXTURES, runPlan } from "../../../helpers/orchard.js";
import type { Op } from "./ops.js";

const TITLE = "Apply the script";
const PLAN = `# Differential\n\n## Batch 1: One\n\n### Task 1.1: ${TITLE}\nApply it.\n`;
const TASK_MESSAGE = `Task 1.1: ${TITLE}\n\nOrchard-Task: 1.1\n`;

/** What one side made, normalized for comparison. */
export interface Outcome {
  taskTree: string;
  mergeTree: string;
  /** `git cat-file commit` with dates, signature bodies and the task commit's own id taken out. */
  taskCommit: string;
  mergeCommit: string;
  /** Whether the task branch and the branch landed on have reflogs. */
  reflogs: [boolean, boolean];
}

export interface Differential {
  orchard: Outcome;
  git: Outcome;
  /** The user's checkout was left exactly as it was. */
  checkoutUntouched: boolean;
}

const run = async (cwd: string, args: string[], input?: string) =>
  (
    await execa("git", args, {
      cwd,
      ...(input === undefined ? { stdin: "ignore" as const } : { input }),
      stripFinalNewline: false,
    })
  ).stdout;

/** A commit object with what differs between two otherwise equal commits taken out. */
async function normalized(repo: string, commit: string, own: string[]): Promise<string> {
  let text = await run(repo, ["cat-file", "commit", commit]);
  text = text.replace(/^((?:author|committer) .*>) \d+ ([+-]\d{4})$/gm, "$1 <date> $2");
  text = text.replace(/^gpgsig [\s\S]*?-----END PGP SIGNATURE-----\n/m, "gpgsig <signature>\n");
  for (const [i, id] of own.entries()) text = text.replaceAll(id, `<own-${i}>`);
  return text;
}

async function outcome(repo: string, task: string, merge: string, refs: [string, string]): Promise<Outcome> {
  const tree = async (c: string) => (await run(repo, ["rev-parse", `${c}^{tree}`])).trim();
  const reflog = async (ref: string) =>
    (await execa("git", ["reflog", "exists", ref], { cwd: repo, reject: false })).exitCode === 0;
  return {
    taskTree: await tree(task),
    mergeTree: await tree(merge),
    taskCommit: await normalized(repo, task, []),
    mergeCommit: await normalized(repo, merge, [task]),
    reflogs: [await reflog(refs[0]), await reflog(refs[1])],
  };
}

/** Runs `ops` through Orchard, then through plain git, on `repo` at its HEAD. */
export async function differential(repo: TestRepo, ops: Op[]): Promise<Differential> {
  const scratch = await mkdtemp(join(tmpdir(), "orchard-diff-"));
  try {
    const opsFile = join(scratch, "ops.json");
    await writeFile(opsFile, JSON.stringify(ops));
    const base = (await run(repo.dir, ["rev-parse", "HEAD"])).trim();
    const before = await snapshotCheckout(repo.dir);
    const { result } = await runPlan(repo.dir, PLAN, {
      agent: "command",
      agentCommand: `node ${join(AGENT_FIXTURES, "apply-ops.mjs")} ${opsFile}`,
      maxAttempts: 1,
      workers: 1,
    });
    if (result.status !== "succeeded") {
      const reason = result.tasks.map((t) => `${t.taskId}: ${t.status} ${t.reason ?? ""}`).join("; ");
      throw new Error(`the Orchard run ${result.status}: ${reason}`);
    }
    const checkoutUntouched = JSON.stringify(await snapshotCheckout(repo.dir)) === JSON.stringify(before);
    const taskRef = `refs/heads/orchard/${result.runId}/tasks/1.1`;
    const landedRef = `refs/heads/${result.integrationBranch}`;
    const orchardTask = (await run(repo.dir, ["rev-parse", taskRef])).trim();
    const landed = (await run(repo.dir, ["rev-parse", landedRef])).trim();
    const orchard = await outcome(repo.dir, orchardTask, landed, [taskRef, landedRef]);

    // Plain git: the same script in a fresh worktree, `git add -A` and `git commit`; then the merge.
    const work = join(scratch, "task");
    await run(repo.dir, ["worktree", "add", "-q", "-b", "plain/task", work, base]);
    await execa("node", [join(AGENT_FIXTURES, "apply-ops.mjs"), opsFile], { cwd: work });
    await run(work, ["add", "-A"]);
    await run(work, ["commit", "-q", "--no-verify", "-F", "-"], TASK_MESSAGE);
    const plainTask = (await run(work, ["rev-parse", "HEAD"])).trim();
    const land = join(scratch, "land");
    await run(repo.dir, ["worktree", "add", "-q", "-b", "plain/landed", land, base]);
    const mergeMessage = join(scratch, "merge-message");
    await writeFile(
      mergeMessage,
      `Merge task 1.1: ${TITLE}\n\nOrchard-Run: ${result.runId}\nOrchard-Task: 1.1\n`,
    );
    await run(land, ["merge", "-q", "--no-ff", "--no-verify", "-F", mergeMessage, plainTask]);
    const plainMerge = (await run(land, ["rev-parse", "HEAD"])).trim();
    const plain = await outcome(repo.dir, plainTask, plainMerge, [
      "refs/heads/plain/task",
      "refs/heads/plain/landed",
    ]);
    for (const dir of [work, land]) await run(repo.dir, ["worktree", "remove", "--force", dir]);
    await run(repo.dir, ["branch", "-D", "plain/task", "plain/landed"]);
    return { orchard, git: plain, checkoutUntouched };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
