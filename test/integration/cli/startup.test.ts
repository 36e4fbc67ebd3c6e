import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/commands/index.js";
import type { CliIo } from "../../../src/cli/io.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { REPO_ROOT } from "../../helpers/orchard.js";

const repos: TestRepo[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Runs the CLI from source and returns what it printed and every module it loaded. */
async function traced(args: string[], cwd = REPO_ROOT) {
  const dir = await mkdtemp(join(tmpdir(), "orchard-trace-"));
  dirs.push(dir);
  const file = join(dir, "modules.txt");
  const r = await execa(
    process.execPath,
    [
      "--import",
      join(REPO_ROOT, "node_modules/tsx/dist/esm/index.mjs"),
      "--import",
      join(REPO_ROOT, "test/fixtures/module-trace/register.mjs"),
      join(REPO_ROOT, "src/cli/main.ts"),
      ...args,
    ],
    { cwd, env: { ORCHARD_TRACE_FILE: file }, reject: false },
  );
  const modules = (await readFile(file, "utf8")).split("\n").filter(Boolean);
  return { ...r, modules };
}

const loaded = (modules: string[], pattern: RegExp) => modules.filter((m) => pattern.test(m));

// What a command that does not need them must not load: the store and its query builder, git, the plan
// parser, the run loop, the agents, the benchmarks.
const HEAVY =
  /\/src\/(store|git|plan|engine|agent|bench|spawner)\/|\/node_modules\/(kysely|better-sqlite3|pg|commonmark|execa|log-update|cli-table3)\//;

describe("orchard starts without loading what the command does not use (issue 21 item 3)", () => {
  it("--version and --help load none of the store, git, the plan parser, the engine or the benchmarks", async () => {
    const version = await traced(["--version"]);
    expect(version.stdout).toBe("0.1.0");
    expect(loaded(version.modules, HEAVY)).toEqual([]);
    const help = await traced(["--help"]);
    expect(help.stdout).toMatch(/^\s+run\b.*run a plan's tasks/m);
    expect(help.stdout).toMatch(/^\s+plan\b/m);
    expect(loaded(help.modules, HEAVY)).toEqual([]);
  });

  it("status loads the store but not the plan parser, the run loop, the agents or the benchmarks", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    const status = await traced(["status"], repo.dir);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(loaded(status.modules, /\/src\/store\//).length).toBeGreaterThan(0);
    expect(
      loaded(
        status.modules,
        /\/src\/(plan|agent|bench)\/|\/src\/engine\/(run|execute|attempt)\.ts|\/node_modules\/(pg|commonmark|log-update)\//,
      ),
    ).toEqual([]);
  });

  it("each command of the help listing is registered by the module its entry loads", async () => {
    const io = {
      stdout: process.stdout,
      stderr: process.stderr,
      env: {},
      cwd: REPO_ROOT,
      exitCode: 0,
    } as CliIo;
    for (const entry of COMMANDS) {
      const program = new Command("orchard");
      (await entry.load())(program, io);
      const cmd = program.commands.find((c) => c.name() === entry.name);
      expect(cmd, entry.name).toBeDefined();
    }
  });
});
