import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOwnRef, writeSymbolicHead } from "../../../src/git/ref-files.js";
import { git as rawGit, repoPerTest } from "../../helpers/git-repo.js";

const fixture = repoPerTest();

const show = async (ref: string) =>
  (await fixture.repo.git(["rev-parse", "-q", "--verify", ref]).catch(() => "")).trim();

/** A new commit on top of the repository's first one, referenced by nothing. */
const childOfHead = async () => {
  const { head } = fixture.repo;
  return (await fixture.repo.git(["commit-tree", `${head}^{tree}`, "-p", head, "-m", "n"])).trim();
};

describe("Orchard's refs written as files", () => {
  it("are read back by git, and compare-and-swap like update-ref", async () => {
    const ref = "refs/heads/orchard/r/integration";
    const next = await childOfHead();
    expect(await writeOwnRef(fixture.common, ref, fixture.repo.head, null)).toBe(true);
    expect(await show(ref)).toBe(fixture.repo.head);
    await expect(writeOwnRef(fixture.common, ref, next, null)).rejects.toMatchObject({ code: "REF_CHANGED" });
    await expect(writeOwnRef(fixture.common, ref, next, next)).rejects.toMatchObject({ code: "REF_CHANGED" });
    expect(await writeOwnRef(fixture.common, ref, next, fixture.repo.head)).toBe(true);
    expect(await show(ref)).toBe(next);
    expect(existsSync(join(fixture.common, `${ref}.lock`))).toBe(false);
    expect((await fixture.repo.git(["fsck", "--no-progress"])).trim()).toBe("");
  });

  it("see a packed ref as the current value", async () => {
    const ref = "refs/heads/orchard/r/tasks/1";
    await fixture.repo.git(["update-ref", ref, fixture.repo.head]);
    await fixture.repo.git(["pack-refs", "--all"]);
    expect(existsSync(join(fixture.common, ref))).toBe(false);
    await expect(writeOwnRef(fixture.common, ref, fixture.repo.head, null)).rejects.toMatchObject({
      code: "REF_CHANGED",
    });
    const next = await childOfHead();
    expect(await writeOwnRef(fixture.common, ref, next, fixture.repo.head)).toBe(true);
    expect(await show(ref)).toBe(next);
  });

  it("fail as LOCKED while git (or anyone) holds the ref's lock, and leave that lock alone", async () => {
    const ref = "refs/heads/orchard/r/tasks/2";
    await mkdir(join(fixture.common, "refs/heads/orchard/r/tasks"), { recursive: true });
    await writeFile(join(fixture.common, `${ref}.lock`), "");
    await expect(writeOwnRef(fixture.common, ref, fixture.repo.head)).rejects.toMatchObject({
      code: "LOCKED",
    });
    expect(existsSync(join(fixture.common, `${ref}.lock`))).toBe(true);
    expect(await show(ref)).toBe("");
  });

  it("refuse a ref below an existing ref (a file where its directory would be), as git does", async () => {
    expect(await writeOwnRef(fixture.common, "refs/heads/orchard/q", fixture.repo.head)).toBe(true);
    const below = "refs/heads/orchard/q/tasks/1";
    await expect(writeOwnRef(fixture.common, below, fixture.repo.head)).rejects.toMatchObject({
      code: "UNKNOWN",
    });
    await expect(fixture.repo.git(["update-ref", below, fixture.repo.head])).rejects.toThrow();
    expect(await show("refs/heads/orchard/q")).toBe(fixture.repo.head);
    expect(existsSync(join(fixture.common, "refs/heads/orchard/q.lock"))).toBe(false);
  });

  it("decline refs that are not Orchard's and repositories whose refs are not files", async () => {
    expect(await writeOwnRef(fixture.common, "refs/heads/main", fixture.repo.head)).toBe(false);
    expect(await writeOwnRef(fixture.common, "refs/heads/orchard/../main", fixture.repo.head)).toBe(false);
    expect(await writeOwnRef(fixture.common, "refs/heads/orchard/x", "HEAD")).toBe(false);
    await mkdir(join(fixture.common, "reftable"));
    try {
      expect(await writeOwnRef(fixture.common, "refs/heads/orchard/x", fixture.repo.head)).toBe(false);
      expect(await writeSymbolicHead(fixture.common, fixture.common, "refs/heads/orchard/x")).toBe(false);
    } finally {
      await rm(join(fixture.common, "reftable"), { recursive: true });
    }
    expect(await show("refs/heads/orchard/x")).toBe("");
  });

  it("point a worktree's HEAD at a branch as symbolic-ref does", async () => {
    const wt = `${fixture.repo.dir}-wt`;
    await fixture.repo.git(["worktree", "add", "-q", "--detach", wt, "main"]);
    try {
      const gitDir = (await rawGit(wt, ["rev-parse", "--absolute-git-dir"])).trim();
      const ref = "refs/heads/orchard/r/tasks/3";
      expect(await writeOwnRef(fixture.common, ref, fixture.repo.head)).toBe(true);
      expect(await writeSymbolicHead(gitDir, fixture.common, ref)).toBe(true);
      expect((await rawGit(wt, ["symbolic-ref", "HEAD"])).trim()).toBe(ref);
      expect(await rawGit(wt, ["status", "--porcelain"])).toBe("");
      // The main checkout is untouched.
      expect((await fixture.repo.git(["symbolic-ref", "HEAD"])).trim()).toBe("refs/heads/main");
    } finally {
      await fixture.repo.git(["worktree", "remove", "--force", wt]);
    }
  });
});
