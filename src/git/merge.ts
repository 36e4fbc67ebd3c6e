import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { classifyGitError, GitError } from "./errors.js";
import type { Git } from "./git.js";
import { refTransaction } from "./refs.js";
import { inSlot, realSlotGitDir, type SlotDirs, verifySlot } from "./slot-ops.js";
import { addWorktree, removeWorktree } from "./worktree-ops.js";

export interface MergeIntoRefInput {
  /** Full ref name, e.g. `refs/heads/orchard/<run>/integration`. */
  ref: string;
  /** Where the caller believes `ref` points; the update is a compare-and-swap against it. */
  expectedHead: string;
  /** The commit to merge in (a task branch's head). */
  theirs: string;
  message: string;
  /** Run the repository's pre-merge-commit and commit-msg hooks (default: off, `--no-verify`). */
  hooks?: boolean;
}

export type MergeIntoRefResult =
  | { kind: "merged"; commit: string }
  | { kind: "conflict"; conflicts: string[] };

const NO_AUTO_MAINTENANCE = ["-c", "maintenance.auto=false"];

/**
 * A worktree of Orchard's own in which a run's landings are made by `git merge --no-ff`: git finds the
 * real merge base, reads the merge attributes (.gitattributes, merge drivers) of the integration
 * branch as it stands — not the user's checkout's — signs under commit.gpgSign, and names the
 * committer as the user's git would (issue 19, items 1, 3, 7, 8). The worktree is detached at the
 * integration head; the integration ref moves only after a clean merge, by compare-and-swap, so it is
 * never half-merged, and a concurrent move of the ref throws GitError REF_CHANGED.
 */
export class LandingWorktree {
  private slot: SlotDirs | null = null;
  /** The commit the worktree is checked out at, clean; null when unknown. */
  private at: string | null = null;
  /** A checkout started ahead of the first merge (prepare). */
  private preparing: Promise<void> = Promise.resolve();

  constructor(
    private readonly git: Git,
    readonly dir: string,
  ) {}

  /** Makes the worktree, at `head`, ahead of the first merge (a run's start); a failure is retried then. */
  prepare(head: string): void {
    this.preparing = this.checkout(head).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Lands `theirs` on `ref` as a --no-ff merge (parents [head, theirs]). Contained work is "merged" as the head. */
  async merge(input: MergeIntoRefInput): Promise<MergeIntoRefResult> {
    await this.preparing;
    const slot = await this.checkout(input.expectedHead);
    const file = `${this.dir}.msg`;
    await writeFile(file, input.message);
    const args = [...NO_AUTO_MAINTENANCE, "merge", "-q", "--no-ff", "--no-edit", "-F", file];
    if (!input.hooks) args.push("--no-verify");
    this.at = null;
    const merged = await this.git.run([...args, input.theirs], inSlot(slot, { okExitCodes: [1] }));
    await rm(file, { force: true });
    if (merged.exitCode === 1) {
      const conflicts = await this.abort(slot);
      if (conflicts.length > 0) return { kind: "conflict", conflicts };
      const code = classifyGitError(merged.stderr, merged.stdout);
      throw new GitError({ code, args, exitCode: 1, stderr: merged.stderr || merged.stdout });
    }
    const { stdout } = await this.git.run(["rev-parse", "HEAD"], inSlot(slot, { readOnly: true }));
    const commit = stdout.trim();
    this.at = commit;
    if (commit === input.expectedHead) return { kind: "merged", commit };
    await refTransaction(
      this.git,
      [{ ref: input.ref, new: commit, old: input.expectedHead }],
      `orchard: merge ${input.theirs}`,
    );
    return { kind: "merged", commit };
  }

  /** Removes the worktree (a run's end); the next merge makes it again. */
  async close(): Promise<void> {
    await this.preparing;
    this.slot = null;
    this.at = null;
    if (existsSync(this.dir)) await removeWorktree(this.git, this.dir).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The worktree, made if needed, clean and detached at `head`. */
  private async checkout(head: string): Promise<SlotDirs> {
    if (this.slot) {
      try {
        verifySlot(this.slot);
      } catch {
        await this.close();
      }
    }
    if (!this.slot) {
      if (existsSync(this.dir)) await this.close();
      await addWorktree(this.git, this.dir, head);
      this.slot = { dir: this.dir, gitDir: realSlotGitDir(this.dir) };
      this.at = head;
    }
    if (this.at !== head) {
      await this.git.run(["checkout", "-q", "-f", "--detach", head], inSlot(this.slot));
      await this.git.run(["clean", "-ffdq"], inSlot(this.slot));
      this.at = head;
    }
    return this.slot;
  }

  /** The conflicted paths of a merge that stopped; the worktree is put back at the next merge. */
  private async abort(slot: SlotDirs): Promise<string[]> {
    const { stdout } = await this.git.run(
      ["diff", "--name-only", "--diff-filter=U", "-z"],
      inSlot(slot, { readOnly: true }),
    );
    return stdout.split("\0").filter((path) => path !== "");
  }
}
