/** The benchmark's scenarios: named groups of rows, each row a plan shape run through the engine. */

export type RepoSize = "small" | "medium";

/** One measured configuration: `tasks` independent equal tasks of `durationMs` on `workers` workers. */
export interface RowSpec {
  name: string;
  tasks: number;
  workers: number;
  durationMs: number;
  /** The generated repository it runs on, or "custom": the one `--repo` named. */
  repo: RepoSize | "custom";
}

export interface Scenario {
  name: string;
  description: string;
  rows: RowSpec[];
}

const row = (tasks: number, workers: number, durationMs: number, repo: RepoSize = "small"): RowSpec => ({
  name: `${tasks}x${workers}x${durationMs}ms${repo === "small" ? "" : `@${repo}`}`,
  tasks,
  workers,
  durationMs,
  repo,
});

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "seed",
    description:
      "the seeds' benchmark (2/2, 4/3, 6/3) and the original pipeline's report (2/2, 3/3, 4/4), through the full engine",
    rows: [row(2, 2, 1000), row(4, 3, 1000), row(6, 3, 500), row(3, 3, 1000), row(4, 4, 1000)],
  },
  {
    name: "scale",
    description: "many short tasks: the engine's own overhead dominates",
    rows: [row(64, 8, 200), row(500, 16, 50)],
  },
];

/** CI smoke mode: tiny durations, one small row per scenario; checks the harness, not the engine's speed. */
export const QUICK_SCENARIOS: readonly Scenario[] = [
  { name: "seed", description: "quick smoke", rows: [row(2, 2, 50), row(3, 2, 50)] },
  { name: "scale", description: "quick smoke", rows: [row(8, 4, 20)] },
];

export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

export function pickScenarios(names: readonly string[], quick: boolean): Scenario[] {
  const all = quick ? QUICK_SCENARIOS : SCENARIOS;
  if (names.length === 0) return [...all];
  return names.map((n) => {
    const found = all.find((s) => s.name === n);
    if (!found) throw new RangeError(`unknown scenario "${n}"; known: ${SCENARIO_NAMES.join(", ")}`);
    return found;
  });
}
