import { describe, expect, it } from "vitest";
import { renderMarkdown, rowJson } from "../../../src/bench/report.js";
import type { BenchReport } from "../../../src/bench/run-bench.js";
import type { Repetition } from "../../../src/bench/run-once.js";
import { summarize } from "../../../src/bench/summary.js";
import { checkTargets } from "../../../src/bench/targets.js";

const rep = (completedMs: number, landedMs: number, executions = 2, critical = 3): Repetition => ({
  status: "succeeded",
  tasks: 2,
  executions,
  completedMs,
  landedMs,
  finishedMs: landedMs + 5,
  phases: {
    lane: [0, 0],
    claim: [1, 1],
    handoff: [1, 1],
    spawn: [1, 1],
    agent: [1000, 1001],
    verify: [],
    commit: [10, 12],
    merge: [8, 9],
    critical: [critical, critical],
  },
});

const spec = { name: "2x2x1000ms", tasks: 2, workers: 2, durationMs: 1000, repo: "small" as const };

function report(rows: BenchReport["rows"]): BenchReport {
  return {
    meta: {
      startedAt: "2025-01-01T00:00:00.000Z",
      durationS: 1,
      quick: false,
      repeat: 3,
      host: "h",
      cpus: "2 × x",
      parallelism: 2,
      memoryGb: 4,
      loadAverage: [1, 1, 1],
      node: "v20",
      runtime: "compiled",
      git: "git version 2.43.0",
      processStartMs: 2.5,
    },
    rows,
    slots: [],
    store: [],
    skipped: [],
  };
}

describe("bench summary", () => {
  it("takes the median makespan over repetitions and derives efficiency, speedup and the seeds' formula from it", () => {
    const row = summarize(
      "seed",
      spec,
      [rep(1020, 1040), rep(1005, 1030), rep(1500, 1600)],
      true,
      [1004, 1030, 1002],
    );
    expect(row.idealMs).toBe(1000);
    expect(row.serialMs).toBe(2000);
    expect(row.makespanMs).toBe(1020);
    expect(row.landedMs).toBe(1040);
    expect(row.efficiency).toBeCloseTo(1000 / 1020);
    expect(row.efficiencyLanded).toBeCloseTo(1000 / 1040);
    expect(row.speedup).toBeCloseTo(2000 / 1020);
    expect(row.seedsEfficiency).toBeCloseTo(2000 / 1020 / 2);
    expect(row.floorMs).toBe(1004);
    expect(row.floorEfficiency).toBeCloseTo(1000 / 1004);
    expect(row.phases.commit.n).toBe(6);
    expect(row.duplicates).toBe(0);
  });

  it("counts executions beyond one per task as duplicates", () => {
    const row = summarize("seed", spec, [rep(1000, 1000, 3), rep(1000, 1000, 2)], false, [1001, 1001]);
    expect(row.executions).toBe(5);
    expect(row.expectedExecutions).toBe(4);
    expect(row.duplicates).toBe(1);
  });
});

describe("bench report", () => {
  it("JSON rows lead with the fields scripts rely on, efficiency as a 0–1 ratio", () => {
    const json = rowJson(summarize("seed", spec, [rep(1010, 1020)], true, [1002]));
    expect(Object.keys(json).slice(0, 7)).toEqual([
      "kind",
      "name",
      "tasks",
      "workers",
      "executions",
      "efficiency",
      "efficiencyLanded",
    ]);
    expect(json.efficiency).toBeGreaterThan(0.98);
    expect(json.efficiency).toBeLessThanOrEqual(1);
  });

  it("checks the seed targets against the worst row and marks unmeasured targets", () => {
    const good = summarize("seed", spec, [rep(1005, 1020)], true, [1001]);
    const bad = summarize("seed", { ...spec, name: "slow" }, [rep(1100, 1200, 2, 9)], true, [1040]);
    const okChecks = checkTargets(report([good]));
    expect(okChecks.find((c) => c.target.includes("99%"))?.met).toBe(true);
    expect(okChecks.find((c) => c.target.includes("5 ms"))?.met).toBe(true);
    expect(okChecks.find((c) => c.target.includes("10×"))?.met).toBeNull();
    const badChecks = checkTargets(report([good, bad]));
    expect(badChecks.find((c) => c.target.includes("99%"))?.met).toBe(false);
    expect(badChecks.find((c) => c.target.includes("5 ms"))?.met).toBe(false);
    // The worst row is named with what the agent alone reached on it.
    expect(badChecks.find((c) => c.target.includes("99%"))?.measured).toBe(
      "worst 90.9% (2 × 2 × 1000 ms; the agent alone: 96.2%)",
    );
  });

  it("puts what the agent alone reached beside the 500 × 16 row's efficiency", () => {
    const big = { name: "500x16x50ms", tasks: 500, workers: 16, durationMs: 50, repo: "small" as const };
    const row = summarize("scale", big, [rep(3200, 3300)], true, [2000]);
    const check = checkTargets(report([row])).find((c) => c.target.includes("95%"));
    expect(check).toMatchObject({ measured: "50.0% (the agent alone: 80.0%)", met: false });
  });

  it("renders the rows, the command and the targets as markdown tables", () => {
    const md = renderMarkdown(
      report([summarize("seed", spec, [rep(1010, 1020)], true, [1002])]),
      "orchard bench --repeat 3",
    );
    expect(md).toContain("Command: `orchard bench --repeat 3`");
    expect(md).toContain(
      "| seed | 2 × 2 × 1000 ms (small) | 1000 ms | 1010 ms | 1020 ms | 99.0% | 98.0% | 1.98× | 99.0% | 1002 ms (99.8%) |",
    );
    expect(md).toContain("### Targets");
    expect(md).toContain("one process start (`true`) 2.5 ms");
  });
});
