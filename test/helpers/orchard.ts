/**
 * Drives Orchard for end-to-end tests: through the engine's API in-process, or as a real `orchard`
 * process (bin/orchard-dev runs the CLI from source).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import {
  type EngineEvent,
  EventBus,
  type RunOptionsInput,
  type RunResult,
  startRun,
} from "../../src/engine/index.js";
import { parsePlan } from "../../src/plan/index.js";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../..");
export const SEED_DIR = resolve(REPO_ROOT, "../shared/plans/seed");
export const ORCHARD_BIN = join(REPO_ROOT, "bin/orchard-dev");
export const AGENT_FIXTURES = join(REPO_ROOT, "test/fixtures/agents");

export const seedPlan = (name: string) => readFileSync(join(SEED_DIR, name), "utf8");

/** Runs a plan's text to the end through the engine; returns the result and every event. */
export async function runPlan(
  repo: string,
  planText: string,
  options: RunOptionsInput = {},
): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  bus.on((e) => {
    if (e.type !== "agent:output") events.push(e);
  });
  const plan = parsePlan(planText, { source: "plan.md" });
  const handle = await startRun({ repo, plan, options: { agent: "scripted", ...options } }, { bus });
  const result = await handle.done;
  return { result, events };
}

/** Spawns the real CLI. */
export function orchard(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; detached?: boolean } = {},
) {
  return execa(ORCHARD_BIN, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    detached: opts.detached ?? false,
    env: { ...opts.env, ORCHARD_DEBUG: "1" },
    reject: false,
    all: true,
    stdin: "ignore",
  });
}

/** Task ids recorded (by Orchard's merge-commit trailers) on the integration branch's first-parent history. */
export async function landedTaskIds(repo: string, branch: string): Promise<string[]> {
  const { stdout } = await execa(
    "git",
    ["log", "--first-parent", "--format=%(trailers:key=Orchard-Task,valueonly)%x00", branch],
    {
      cwd: repo,
    },
  );
  return stdout
    .split("\0")
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
}

export async function showFile(repo: string, ref: string, path: string): Promise<string | null> {
  const r = await execa("git", ["show", `${ref}:${path}`], {
    cwd: repo,
    reject: false,
    stripFinalNewline: false,
  });
  return r.exitCode === 0 ? r.stdout : null;
}
