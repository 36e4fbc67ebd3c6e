import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Git,
  MergeTreeServer,
  mergeIntoRef,
  mergeTree,
  revParse,
  updateRef,
} from "../../../src/git/index.js";
import { processAlive } from "../../../src/spawner/index.js";
import { branchWith as branchWithIn, makeRepo, type TestRepo } from "../../helpers/git-repo.js";

const execFileAsync = promisify(execFile);
const LEFT_OPEN = fileURLToPath(new URL("../../fixtures/git/merge-server-left-open.ts", import.meta.url));

let repo: TestRepo;
let git: Git;
let server: MergeTreeServer;

beforeEach(async () => {
  repo = await makeRepo({ files: { "a.txt": "a\n", "b.txt": "b\n" } });
  git = new Git(repo.dir);
});
afterEach(async () => {
  server?.close();
  await repo.cleanup();
});

const branchWith = (name: string, files: Record<string, string>) => branchWithIn(repo, name, "main", files);

describe("MergeTreeServer", () => {
  it("answers each merge as git merge-tree does, clean and conflicted, queued ones in order", async () => {
    const x = await branchWith("x", { "x.txt": "x\n" });
    const y = await branchWith("y", { "y.txt": "y\n" });
    const a1 = await branchWith("a1", { "a.txt": "one\n" });
    const a2 = await branchWith("a2", { "a.txt": "two\n", "dir/with space.txt": "s\n" });
    server = new MergeTreeServer(git);
    expect(await server.start(repo.head)).toBe(true);
    const pairs: Array<[string, string]> = [
      [x, y],
      [a1, a2],
      [y, a1],
      [a2, a1],
      [x, x],
    ];
    const served = await Promise.all(pairs.map(([o, t]) => server.merge(o, t)));
    const oneShot = await Promise.all(pairs.map(([o, t]) => mergeTree(git, o, t)));
    expect(served.map((r) => r?.clean)).toEqual([true, false, true, false, true]);
    for (const [i, r] of served.entries()) {
      const expected = oneShot[i]!;
      if (expected.clean) expect(r).toEqual(expected);
      else
        expect(r).toMatchObject({ clean: false, conflicts: expected.conflicts, message: expected.message });
    }
    expect(served[1]).toMatchObject({ conflicts: ["a.txt"] });
  });

  it("lands through mergeIntoRef with the same trees as without it", async () => {
    const x = await branchWith("x", { "x.txt": "x\n" });
    const y = await branchWith("y", { "y.txt": "y\n" });
    server = new MergeTreeServer(git);
    await server.start(repo.head);
    const land = async (ref: string, withServer: boolean) => {
      await updateRef(git, ref, repo.head, null);
      let head = repo.head;
      for (const theirs of [x, y]) {
        const r = await mergeIntoRef(git, {
          ref,
          expectedHead: head,
          theirs,
          theirsParent: repo.head,
          message: "m\n",
          ...(withServer ? { server } : {}),
        });
        if (r.kind !== "merged") throw new Error("conflict");
        head = r.commit;
      }
      return revParse(git, `${ref}^{tree}`);
    };
    expect(await land("refs/heads/orchard/r/served", true)).toBe(
      await land("refs/heads/orchard/r/plain", false),
    );
  });

  it("does not keep Orchard running, and git ends when Orchard does", async () => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ["--import", "tsx", LEFT_OPEN, repo.dir, repo.head],
      { timeout: 30_000 },
    );
    const { clean, pid } = JSON.parse(stdout) as { clean: boolean; pid: number };
    expect(clean).toBe(true);
    expect(pid).toBeGreaterThan(0);
    // Its stdin closed with the process that started it: git sees the end of its input and exits.
    const deadline = Date.now() + 5_000;
    while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(processAlive(pid)).toBe(false);
  });

  it("never starts once closed", async () => {
    server = new MergeTreeServer(git);
    server.close();
    expect(await server.start(repo.head)).toBe(false);
    expect(await server.serving()).toBe(false);
  });

  it("gives null once closed, and callers merge with one git each", async () => {
    const x = await branchWith("x", { "x.txt": "x\n" });
    const y = await branchWith("y", { "y.txt": "y\n" });
    server = new MergeTreeServer(git);
    await server.start(repo.head);
    server.close();
    expect(await server.serving()).toBe(false);
    expect(await server.merge(x, y)).toBeNull();
    expect(await mergeTree(git, x, y, server)).toEqual(await mergeTree(git, x, y));
  });

  it("gives up on a late answer: that merge and later ones go to one git each", async () => {
    const x = await branchWith("x", { "x.txt": "x\n" });
    const y = await branchWith("y", { "y.txt": "y\n" });
    server = new MergeTreeServer(git, { timeoutMs: 0 });
    expect(await server.start(repo.head)).toBe(true);
    const answer = server.merge(x, y);
    // Asked by now; the answer can only be read after this busy spell, and the expired timer runs first.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        const until = performance.now() + 100;
        while (performance.now() < until) {}
        resolve();
      }),
    );
    expect(await answer).toBeNull();
    expect(await server.serving()).toBe(false);
    expect(await mergeTree(git, x, y, server)).toEqual(await mergeTree(git, x, y));
  });

  it("does not serve without stdbuf, and merges go on without it", async () => {
    const x = await branchWith("x", { "x.txt": "x\n" });
    const y = await branchWith("y", { "y.txt": "y\n" });
    server = new MergeTreeServer(git, { stdbuf: join(repo.dir, "no-such-stdbuf") });
    expect(await server.start(repo.head)).toBe(false);
    expect(await server.merge(x, y)).toBeNull();
    expect(await mergeTree(git, x, y, server)).toMatchObject({ clean: true });
  });
});
