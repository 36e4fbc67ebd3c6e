import { availableParallelism, cpus, hostname, loadavg, tmpdir, totalmem } from "node:os";
import { Git } from "../git/index.js";
import { runBuffered } from "../spawner/index.js";
import { benchClone, generatedRepo, REPO_FILES } from "./repo.js";
import { runRowInChild } from "./row-job.js";
import { pickScenarios, type RepoSize } from "./scenarios.js";
import { compareSlots, type SlotComparison } from "./slots.js";
import { median } from "./stats.js";
import { DEFAULT_PG_URL, measureStores, type StoreRow } from "./store-throughput.js";
import type { RowResult } from "./summary.js";

export interface BenchOptions {
  /** Scenario names; empty = all. */
  scenarios?: string[];
  /** Timed repetitions per row (after one untimed warm-up). Default 5; quick mode 1. */
  repeat?: number;
  /** Tiny durations, one repetition, the small repository only: a smoke check of the harness. */
  quick?: boolean;
  /** A real repository to run on instead of the generated ones (it is cloned; never touched). */
  repo?: string;
  /** PostgreSQL for the store comparison; null skips it. */
  pgUrl?: string | null;
  /** Skip the side-by-side measurements (slots, store). */
  scenariosOnly?: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Called with each row as soon as it is measured. */
  onRow?: (row: RowResult) => void;
}

export interface BenchReport {
  meta: {
    startedAt: string;
    durationS: number;
    quick: boolean;
    repeat: number;
    host: string;
    cpus: string;
    parallelism: number;
    memoryGb: number;
    loadAverage: number[];
    node: string;
    /** `compiled` (dist) or `tsx` (from source): the loader adds ~70 MB to every process's RSS. */
    runtime: string;
    git: string;
    /**
     * Median wall time to start, run and reap `true` the way Orchard starts every child (src/spawner),
     * measured at the start: what one process costs on this machine (every task starts several), so
     * that machines compare.
     */
    processStartMs: number;
  };
  rows: RowResult[];
  slots: SlotComparison[];
  store: StoreRow[];
  /** Measurements left out, and why (e.g. PostgreSQL not reachable). */
  skipped: string[];
}

/** Runs the benchmark: every requested scenario row (each in a child process), then the side-by-sides. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const quick = options.quick ?? false;
  const repeat = options.repeat ?? (quick ? 1 : 5);
  const log = options.log ?? (() => {});
  const started = Date.now();
  const scenarios = pickScenarios(options.scenarios ?? [], quick);
  const clones = new Map<string, { dir: string; remove(): Promise<void> }>();
  const repoFor = async (size: RepoSize | "custom") => {
    let clone = clones.get(size);
    if (!clone) {
      const source = size === "custom" ? options.repo! : await generatedRepo(size);
      clone = await benchClone(source, size);
      clones.set(size, clone);
    }
    return clone.dir;
  };
  const report: BenchReport = {
    meta: await meta(started, quick, repeat),
    rows: [],
    slots: [],
    store: [],
    skipped: [],
  };
  try {
    for (const scenario of scenarios) {
      log(`scenario ${scenario.name}: ${scenario.description}`);
      for (const planned of scenario.rows) {
        // With --repo every row runs on that repository, and says so.
        const spec = options.repo ? { ...planned, repo: "custom" as const } : planned;
        const repo = await repoFor(spec.repo);
        const row = await runRowInChild(
          { scenario: scenario.name, spec, repo, repeats: repeat, warmup: true },
          log,
        );
        report.rows.push(row);
        options.onRow?.(row);
      }
    }
    if (!options.scenariosOnly) {
      const sizes: Array<RepoSize | "custom"> = options.repo
        ? ["custom"]
        : quick
          ? ["small"]
          : ["small", "medium"];
      for (const size of sizes) {
        log(`slots: pooled vs fresh worktree on the ${size} repository`);
        const shape = quick
          ? { tasks: 2, workers: 2, durationMs: 50 }
          : { tasks: 6, workers: 3, durationMs: 500 };
        report.slots.push(
          await compareSlots({
            repo: await repoFor(size),
            label: size,
            files: size === "custom" ? Number.NaN : REPO_FILES[size],
            iterations: quick ? 3 : 20,
            repeats: repeat,
            ...shape,
            log,
          }),
        );
      }
      log("store: no-op claims + completions per second");
      const stores = await measureStores({
        tasks: quick ? 100 : 2000,
        repeats: quick ? 1 : 3,
        pgUrl: options.pgUrl === undefined ? DEFAULT_PG_URL : options.pgUrl,
        log,
      });
      report.store = stores.rows;
      report.skipped.push(...stores.skipped);
    }
  } finally {
    for (const clone of clones.values()) await clone.remove().catch(() => {});
  }
  report.meta.durationS = Math.round((Date.now() - started) / 1000);
  return report;
}

async function processStartMs(samples = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= samples; i++) {
    const t = performance.now();
    const r = await runBuffered("true", [], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? "" },
      timeoutMs: 10_000,
    });
    // The first start also starts the reaper process: not counted.
    if (i > 0 && r.exitCode === 0) times.push(performance.now() - t);
  }
  return Math.round(median(times) * 100) / 100;
}

async function meta(started: number, quick: boolean, repeat: number): Promise<BenchReport["meta"]> {
  // Reported as unknown on failure; the benchmark itself fails loudly if git is missing.
  const git = await new Git(tmpdir())
    .run(["--version"])
    .then((r) => r.stdout.trim())
    .catch(() => "unknown");
  const processStart = await processStartMs();
  return {
    processStartMs: processStart,
    startedAt: new Date(started).toISOString(),
    durationS: 0,
    quick,
    repeat,
    host: hostname(),
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
    parallelism: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    runtime: import.meta.url.endsWith(".ts") ? "tsx, from source" : "compiled",
    git,
  };
}
