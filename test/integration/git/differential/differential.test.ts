import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../../helpers/git-repo.js";
import { gpgKey } from "../signing.js";
import { differential } from "./harness.js";
import { BASE_FILES, type Op, randomOps } from "./ops.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

async function repo(files: Record<string, string> = BASE_FILES): Promise<TestRepo> {
  const r = await makeRepo({ files });
  repos.push(r);
  await r.git(["update-index", "--chmod=+x", "run.sh"]).catch(() => undefined);
  return r;
}

/** Orchard and plain git made the same commits, and the user's checkout is as it was. */
async function expectSame(r: TestRepo, ops: Op[]) {
  const { orchard, git, checkoutUntouched } = await differential(r, ops);
  expect(orchard).toEqual(git);
  expect(checkoutUntouched).toBe(true);
}

const SEEDS = Number(process.env.ORCHARD_DIFF_SEEDS ?? 20);

describe("Orchard against plain git, seeded random scripts", () => {
  it(`makes git's commits for ${SEEDS} seeds (creates, deletes, renames, chmods, symlinks, file/directory swaps, NFD names)`, async () => {
    const r = await repo();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const ops = randomOps(seed);
      await expectSame(r, ops).catch((error: Error) => {
        throw new Error(`seed ${seed} (${JSON.stringify(ops)}): ${error.message}`);
      });
    }
  });
});

describe("Orchard against plain git, issue 19's cases", () => {
  it("a merge the agent left in progress", async () => {
    const r = await repo({ "README.md": "x\n" });
    await r.git(["checkout", "-q", "-b", "side"]);
    await r.write("side.txt", "side\n");
    await r.commit("side");
    await r.git(["checkout", "-q", "main"]);
    await expectSame(r, [{ op: "git", args: ["merge", "-q", "--no-commit", "--no-ff", "side"] }]);
  });

  it("a cherry-pick the agent resolved and left to be committed", async () => {
    const r = await repo({ "a.txt": "base\n" });
    await r.git(["checkout", "-q", "-b", "side"]);
    await r.write("a.txt", "first\n");
    await r.commit("first");
    await r.write("a.txt", "side\n");
    await r.git(["add", "-A"]);
    await r.git(["commit", "-q", "--author=Grace <grace@example.com>", "-m", "side"]);
    await r.git(["checkout", "-q", "main"]);
    await expectSame(r, [
      // The pick conflicts (exit 1): the agent resolves it and leaves CHERRY_PICK_HEAD for the commit.
      { op: "git", args: ["cherry-pick", "side"], mayFail: true },
      { op: "write", path: "a.txt", content: "resolved\n" },
    ]);
  });

  it("identity from author.* and committer.*, a time zone, an encoding", async () => {
    const r = await repo({ "README.md": "x\n" });
    await r.git(["config", "author.name", "Author Config"]);
    await r.git(["config", "committer.email", "committer@config"]);
    await r.git(["config", "i18n.commitEncoding", "ISO-8859-1"]);
    const saved = process.env.TZ;
    process.env.TZ = "CET-1CEST,M3.5.0,M10.5.0/3";
    try {
      await expectSame(r, [{ op: "write", path: "t.txt", content: "t\n" }]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("commit.gpgSign: task commits and merges signed as git signs them", async () => {
    const key = await gpgKey();
    if (!key) return;
    const r = await repo({ "README.md": "x\n" });
    await r.git(["config", "commit.gpgSign", "true"]);
    await r.git(["config", "user.signingKey", key.id]);
    const saved = process.env.GNUPGHOME;
    process.env.GNUPGHOME = key.home;
    try {
      await expectSame(r, [{ op: "write", path: "s.txt", content: "s\n" }]);
    } finally {
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
    }
  });

  it("core.sharedRepository=group and core.logAllRefUpdates=always", async () => {
    const r = await repo({ "README.md": "x\n" });
    await r.git(["config", "core.sharedRepository", "group"]);
    await r.git(["config", "core.logAllRefUpdates", "always"]);
    await expectSame(r, [{ op: "write", path: "g.txt", content: "g\n" }]);
  });
});
