import type { BenchReport } from "./run-bench.js";
import type { Spread } from "./stats.js";
import { describeShape } from "./store-throughput.js";
import type { RowResult } from "./summary.js";
import { checkTargets } from "./targets.js";

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");
const ms = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : "—");
const pp = (s: Spread) => (s.n === 0 ? "—" : `${ms(s.p50, 1)} / ${ms(s.p95, 1)}`);

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The whole report as markdown: scenario rows, per-phase times, side-by-sides, targets. */
export function renderMarkdown(report: BenchReport, command?: string): string {
  const m = report.meta;
  const out: string[] = [];
  if (command) out.push(`Command: \`${command}\``, "");
  out.push(
    `Measured ${m.startedAt} on ${m.host} (${m.cpus}, ${m.memoryGb} GB, load average at start ${m.loadAverage.join(" ")}), ` +
      `Node ${m.node} (${m.runtime}), ${m.git}; one process start (\`true\`) ${ms(m.processStartMs, 1)} ms. ${m.repeat} timed repetition(s) per row after one untimed warm-up; medians. ` +
      `Took ${m.durationS} s${m.quick ? " (quick mode: a smoke check, not a measurement)" : ""}.`,
    "",
  );
  if (report.rows.length > 0) {
    out.push(
      "### Scenarios",
      "",
      rowsTable(report.rows),
      "",
      "### Per-task phases (ms, p50 / p95 over every timed task)",
      "",
    );
    out.push(
      phasesTable(report.rows),
      "",
      "Agent floor: the same agents, as many at a time, started the way the engine starts them but with no engine " +
        "(no store, slots, git or events), alternating with the engine's repetitions; median makespan and ideal / that. " +
        "No orchestrator can beat it with this agent on this machine.",
      "",
      "CPU / task: ms of CPU per task in the engine's process + in its children (git, the agents), warm-up included.",
      "",
    );
  }
  if (report.slots.length > 0) {
    out.push("### Pooled slots vs a fresh worktree per task", "");
    out.push(
      table(
        [
          "repo",
          "files",
          "pooled ready p50",
          "fresh add+remove p50",
          "ready ratio",
          "plan",
          "pooled makespan",
          "fresh makespan",
          "makespan ratio",
        ],
        report.slots.map((s) => [
          s.repo,
          Number.isFinite(s.files) ? String(s.files) : "—",
          `${ms(s.pooledReadyMs, 1)} ms`,
          `${ms(s.freshReadyMs, 1)} ms`,
          `${s.readyRatio.toFixed(1)}×`,
          `${s.tasks} × ${s.workers} × ${s.durationMs} ms`,
          `${ms(s.pooledMakespanMs)} ms`,
          `${ms(s.freshMakespanMs)} ms`,
          `${s.makespanRatio.toFixed(2)}×`,
        ]),
      ),
      "",
    );
  }
  if (report.store.length > 0) {
    out.push("### Store throughput (no-op claim + completion per task)", "");
    out.push(
      table(
        ["dialect", "concurrency", "tasks", "tasks/s (median)", "samples", "duplicates"],
        report.store.map((s) => [
          s.dialect,
          describeShape(s),
          String(s.tasks),
          String(s.tasksPerSecond),
          s.samples.join(", "),
          String(s.duplicates),
        ]),
      ),
      "",
    );
  }
  for (const s of report.skipped) out.push(`Skipped: ${s}`, "");
  out.push("### Targets", "");
  out.push(
    table(
      ["target", "measured", "met"],
      checkTargets(report).map((c) => [
        c.target,
        c.measured,
        c.met === null ? "—" : c.met ? "yes" : "**no**",
      ]),
    ),
  );
  return `${out.join("\n")}\n`;
}

function rowsTable(rows: readonly RowResult[]): string {
  return table(
    [
      "scenario",
      "row",
      "ideal",
      "to completion",
      "to landed",
      "efficiency",
      "eff. landed",
      "speedup",
      "seeds' formula",
      "agent floor",
      "executions / tasks",
      "peak RSS",
    ],
    rows.map((r) => [
      r.scenario,
      `${r.tasks} × ${r.workers} × ${r.durationMs} ms (${r.repo})`,
      `${ms(r.idealMs)} ms`,
      `${ms(r.makespanMs)} ms`,
      `${ms(r.landedMs)} ms`,
      pct(r.efficiency),
      pct(r.efficiencyLanded),
      `${r.speedup.toFixed(2)}×`,
      pct(r.seedsEfficiency),
      `${ms(r.floorMs)} ms (${pct(r.floorEfficiency)})`,
      `${r.executions} / ${r.expectedExecutions}${r.failedRuns > 0 ? ` (${r.failedRuns} failed runs)` : ""}`,
      r.peakRssMb === null ? "—" : `${r.peakRssMb} MB`,
    ]),
  );
}

function phasesTable(rows: readonly RowResult[]): string {
  return table(
    [
      "row",
      "lane wait",
      "claim",
      "slot hand-off",
      "agent spawn",
      "critical path",
      "agent",
      "verify",
      "commit",
      "merge",
      "CPU / task",
    ],
    rows.map((r) => [
      `${r.tasks} × ${r.workers} × ${r.durationMs} ms`,
      pp(r.phases.lane),
      pp(r.phases.claim),
      pp(r.phases.handoff),
      pp(r.phases.spawn),
      pp(r.phases.critical),
      pp(r.phases.agent),
      pp(r.phases.verify),
      pp(r.phases.commit),
      pp(r.phases.merge),
      r.cpuPerTaskMs === null ? "—" : `${r.cpuPerTaskMs.engine} + ${ms(r.cpuPerTaskMs.children)}`,
    ]),
  );
}

/** One JSON object per scenario row (JSON Lines), with the fields scripts rely on first. */
export function rowJson(r: RowResult): Record<string, unknown> {
  const { name, tasks, workers, executions, efficiency, efficiencyLanded, ...rest } = r;
  return { kind: "row", name, tasks, workers, executions, efficiency, efficiencyLanded, ...rest };
}

/** The side-by-side results and the target checks, as JSON Lines after the rows. */
export function extraJson(report: BenchReport): Array<Record<string, unknown>> {
  return [
    ...report.slots.map((s) => ({ kind: "slots", ...s })),
    ...report.store.map((s) => ({ kind: "store", ...s })),
    { kind: "targets", checks: checkTargets(report), skipped: report.skipped, meta: report.meta },
  ];
}
