import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { runAgentFloor } from "../../../src/bench/floor.js";
import { runFreshBaseline } from "../../../src/bench/fresh.js";
import { benchClone, generatedRepo, REPO_FILES } from "../../../src/bench/repo.js";
import { runCli } from "../../../src/cli/program.js";
import { makeRepo, snapshotCheckout } from "../../helpers/git-repo.js";

/** A smoke check of the harness in quick mode: it runs end to end and its numbers are well-formed. No timing assertions. */

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c;
  });
  stderr.on("data", (c: Buffer) => {
    err += c;
  });
  const io = { stdout, stderr, env: process.env, cwd: process.cwd(), exitCode: 0 };
  return { io, out: () => out, err: () => err };
}

const git = async (cwd: string, args: string[]) => (await execa("git", args, { cwd })).stdout;

describe("orchard bench --quick", () => {
  it("runs every quick row through the engine once per task and writes JSON lines and a markdown report", async () => {
    const dir = await mkdtemp(join(tmpdir(), "orchard-bench-test-"));
    scratch.push(dir);
    const outFile = join(dir, "bench.md");
    const { io, out, err } = captureIo();
    const code = await runCli(["bench", "--quick", "--json", "--no-pg", "--out", outFile], io);
    expect(code, err()).toBe(0);

    const lines = out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rows = lines.filter((l) => l.kind === "row");
    expect(rows.map((r) => r.name)).toEqual(["2x2x50ms", "3x2x50ms", "8x4x20ms"]);
    for (const r of rows) {
      expect(r.executions).toBe(r.tasks);
      expect(r.duplicates).toBe(0);
      expect(r.failedRuns).toBe(0);
      expect(r.efficiency).toBeGreaterThan(0);
      expect(r.efficiency).toBeLessThanOrEqual(1);
      expect(r.efficiencyLanded).toBeLessThanOrEqual(r.efficiency as number);
      expect(r.peakRssMb).toBeGreaterThan(0);
      expect(r.floorsMs).toHaveLength(1);
      expect(r.floorEfficiency).toBeGreaterThan(0);
      const phases = r.phases as Record<string, { n: number }>;
      expect(phases.commit?.n).toBe(r.tasks);
      expect(phases.merge?.n).toBe(r.tasks);
    }
    const slots = lines.filter((l) => l.kind === "slots");
    expect(slots.map((s) => s.repo)).toEqual(["small"]);
    expect(slots[0]?.readyRatio).toBeGreaterThan(0);
    const store = lines.filter((l) => l.kind === "store");
    expect(store.map((s) => `${s.dialect}:${s.processes}x${s.workers}`)).toEqual([
      "sqlite:0x1",
      "sqlite:0x4",
      "sqlite:0x16",
      "sqlite:4x1",
      "sqlite:4x4",
    ]);
    for (const s of store) expect(s.duplicates).toBe(0);
    expect(lines.at(-1)?.kind).toBe("targets");
    const targetsMeta = lines.at(-1)?.meta as { processStartMs: number } | undefined;
    expect(targetsMeta?.processStartMs).toBeGreaterThan(0);

    const md = await readFile(outFile, "utf8");
    expect(md).toContain("Command: `orchard bench --quick --no-pg --json --out");
    expect(md).toContain("| seed | 2 × 2 × 50 ms (small) |");
    expect(md).toContain("### Targets");
  });

  it("rejects an unknown scenario as a usage error", async () => {
    const { io } = captureIo();
    expect(await runCli(["bench", "--scenario", "nope"], io)).toBe(2);
  });

  it("runs the rows on a --repo's clone, labels them so, and leaves that repository as it was", async () => {
    const repo = await makeRepo({ generatedFiles: 30 });
    scratch.push(repo.dir);
    const before = await snapshotCheckout(repo.dir);
    const branches = await repo.git(["branch", "--list"]);
    const { io, out, err } = captureIo();
    const args = [
      "bench",
      "--quick",
      "--scenario",
      "seed",
      "--repo",
      repo.dir,
      "--no-side-by-side",
      "--json",
    ];
    expect(await runCli(args, io), err()).toBe(0);
    const rows = out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.kind === "row");
    expect(rows.map((r) => [r.name, r.repo, r.executions])).toEqual([
      ["2x2x50ms", "custom", 2],
      ["3x2x50ms", "custom", 3],
    ]);
    // The runs went to a private clone: not a branch, worktree or file of the repository changed.
    expect(await snapshotCheckout(repo.dir)).toEqual(before);
    expect(await repo.git(["branch", "--list"])).toBe(branches);
    expect(existsSync(join(repo.dir, ".git", "orchard"))).toBe(false);
  });

  it("refuses a --repo it could not clone and an --out it could not write before measuring anything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "orchard-bench-bad-"));
    scratch.push(dir);
    const empty = join(dir, "empty");
    await mkdir(empty);
    await git(empty, ["init", "-q"]);
    const cases: Array<[string[], RegExp]> = [
      [["--repo", join(dir, "missing")], /--repo .*missing is not a git work tree/],
      [["--repo", empty], /--repo .*empty has no commit to clone/],
      [["--out", join(dir, "no", "such", "bench.md")], /--out .*the directory .*no\/such does not exist/],
      [["--out", dir], /--out .* is a directory/],
    ];
    for (const [args, message] of cases) {
      const { io, out, err } = captureIo();
      expect(await runCli(["bench", "--quick", "--no-pg", ...args], io), args.join(" ")).toBe(2);
      expect(err()).toMatch(message);
      // Nothing ran: no row was measured and no report was printed.
      expect(out()).toBe("");
      expect(err()).not.toMatch(/scenario seed/);
    }
  });
});

describe("bench repositories and the fresh-worktree baseline", () => {
  it("generates the small repository once, with every file committed, and reuses it", async () => {
    const first = await generatedRepo("small");
    const again = await generatedRepo("small");
    expect(again).toBe(first);
    const files = (await git(first, ["ls-files"])).split("\n").filter(Boolean);
    expect(files).toHaveLength(REPO_FILES.small);
    expect(await git(first, ["status", "--porcelain"])).toBe("");
  });

  it("the agent floor runs every task's agent once, with no engine and no repository", async () => {
    const floor = await runAgentFloor(5, 2, 10);
    expect(floor.outputs).toEqual([
      "out-1.1.txt",
      "out-1.2.txt",
      "out-1.3.txt",
      "out-1.4.txt",
      "out-1.5.txt",
    ]);
    expect(floor.makespanMs).toBeGreaterThan(0);
  });

  it("the baseline commits every task in its own fresh worktree and leaves no worktree or branch behind", async () => {
    const clone = await benchClone(await generatedRepo("small"), "test");
    scratch.push(clone.dir);
    const result = await runFreshBaseline(clone.dir, 3, 2, 10);
    expect(result.addMs).toHaveLength(3);
    expect(result.removeMs).toHaveLength(3);
    expect(result.completedMs).toBeGreaterThan(0);
    expect(new Set(result.commits).size).toBe(3);
    const written = await Promise.all(
      result.commits.map((c) => git(clone.dir, ["diff-tree", "--no-commit-id", "--name-only", "-r", c])),
    );
    expect(written.sort()).toEqual(["out-1.1.txt", "out-1.2.txt", "out-1.3.txt"]);
    expect((await git(clone.dir, ["worktree", "list", "--porcelain"])).match(/^worktree /gm)).toHaveLength(1);
    expect(await git(clone.dir, ["for-each-ref", "refs/heads/orchard/"])).toBe("");
    await clone.remove();
  });
});
