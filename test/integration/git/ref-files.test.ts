import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeOwnRef, writeSymbolicHead } from "../../../src/git/ref-files.js";
import { makeRepo, git as rawGit, type TestRepo } from "../../helpers/git-repo.js";

let repo: TestRepo;
let common: string;

beforeEach(async () => {
  repo = await makeRepo();
  common = join(repo.dir, ".git");
});
afterEach(() => repo.cleanup());

const show = async (ref: string) =>
  (await repo.git(["rev-parse", "-q", "--verify", ref]).catch(() => "")).trim();

describe("Orchard's refs written as files", () => {
  it("are read back by git, and compare-and-swap like update-ref", async () => {
    const ref = "refs/heads/orchard/r/integration";
    const next = (await repo.git(["commit-tree", `${repo.head}^{tree}`, "-p", repo.head, "-m", "n"])).trim();
    expect(await writeOwnRef(common, ref, repo.head, null)).toBe(true);
    expect(await show(ref)).toBe(repo.head);
    await expect(writeOwnRef(common, ref, next, null)).rejects.toMatchObject({ code: "REF_CHANGED" });
    await expect(writeOwnRef(common, ref, next, next)).rejects.toMatchObject({ code: "REF_CHANGED" });
    expect(await writeOwnRef(common, ref, next, repo.head)).toBe(true);
    expect(await show(ref)).toBe(next);
    expect(existsSync(join(common, `${ref}.lock`))).toBe(false);
    expect((await repo.git(["fsck", "--no-progress"])).trim()).toBe("");
  });

  it("see a packed ref as the current value", async () => {
    const ref = "refs/heads/orchard/r/tasks/1";
    await repo.git(["update-ref", ref, repo.head]);
    await repo.git(["pack-refs", "--all"]);
    expect(existsSync(join(common, ref))).toBe(false);
    await expect(writeOwnRef(common, ref, repo.head, null)).rejects.toMatchObject({ code: "REF_CHANGED" });
    const next = (await repo.git(["commit-tree", `${repo.head}^{tree}`, "-p", repo.head, "-m", "n"])).trim();
    expect(await writeOwnRef(common, ref, next, repo.head)).toBe(true);
    expect(await show(ref)).toBe(next);
  });

  it("fail as LOCKED while git (or anyone) holds the ref's lock, and leave that lock alone", async () => {
    const ref = "refs/heads/orchard/r/tasks/2";
    await mkdir(join(common, "refs/heads/orchard/r/tasks"), { recursive: true });
    await writeFile(join(common, `${ref}.lock`), "");
    await expect(writeOwnRef(common, ref, repo.head)).rejects.toMatchObject({ code: "LOCKED" });
    expect(existsSync(join(common, `${ref}.lock`))).toBe(true);
    expect(await show(ref)).toBe("");
  });

  it("decline refs that are not Orchard's and repositories whose refs are not files", async () => {
    expect(await writeOwnRef(common, "refs/heads/main", repo.head)).toBe(false);
    expect(await writeOwnRef(common, "refs/heads/orchard/../main", repo.head)).toBe(false);
    expect(await writeOwnRef(common, "refs/heads/orchard/x", "HEAD")).toBe(false);
    await mkdir(join(common, "reftable"));
    try {
      expect(await writeOwnRef(common, "refs/heads/orchard/x", repo.head)).toBe(false);
      expect(await writeSymbolicHead(common, common, "refs/heads/orchard/x")).toBe(false);
    } finally {
      await rm(join(common, "reftable"), { recursive: true });
    }
    expect(await show("refs/heads/orchard/x")).toBe("");
  });

  it("point a worktree's HEAD at a branch as symbolic-ref does", async () => {
    const wt = `${repo.dir}-wt`;
    await repo.git(["worktree", "add", "-q", "--detach", wt, "main"]);
    try {
      const gitDir = (await rawGit(wt, ["rev-parse", "--absolute-git-dir"])).trim();
      const ref = "refs/heads/orchard/r/tasks/3";
      expect(await writeOwnRef(common, ref, repo.head)).toBe(true);
      expect(await writeSymbolicHead(gitDir, common, ref)).toBe(true);
      expect((await rawGit(wt, ["symbolic-ref", "HEAD"])).trim()).toBe(ref);
      expect(await rawGit(wt, ["status", "--porcelain"])).toBe("");
      // The main checkout is untouched.
      expect((await repo.git(["symbolic-ref", "HEAD"])).trim()).toBe("refs/heads/main");
    } finally {
      await repo.git(["worktree", "remove", "--force", wt]);
    }
  });
});
