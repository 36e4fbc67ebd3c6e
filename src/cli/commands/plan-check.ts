import { resolve } from "node:path";
import {
  loadPlan,
  type Plan,
  type PlanBatch,
  PlanError,
  type PlanGraph,
  type PlanTask,
  planGraph,
} from "../../plan/index.js";
import { println } from "../io.js";
import type { RegisterCommand } from "./index.js";

interface CheckFlags {
  json?: boolean;
  parallel?: boolean;
  fileGuard: boolean;
}

/** `orchard plan check <plan>`: parse a plan, show what Orchard reads from it and what may run together. */
export const registerPlanCheck: RegisterCommand = (program, io) => {
  const plan = program.command("plan").description("work with plan files");
  plan
    .command("check")
    .description("parse a plan and show its batches, tasks, dependencies and what may run at the same time")
    .argument("<plan>", "the markdown plan file")
    .option("--json", "print the parsed plan and its graph as JSON")
    .option("--parallel", "flat plans: run tasks at the same time where their files allow")
    .option("--no-file-guard", "let tasks of one batch that declare the same file run at the same time")
    .action(async (planPath: string, flags: CheckFlags) => {
      const out = io.stdout;
      let parsed: Plan;
      try {
        parsed = await loadPlan(resolve(io.cwd, planPath), { source: planPath });
      } catch (err) {
        if (flags.json && err instanceof PlanError) {
          const error = { code: err.code, message: err.message, file: planPath, ...err.pos };
          println(out, JSON.stringify({ ok: false, error }, null, 2));
        }
        throw err; // program.ts prints file:line:col: message and exits 2
      }
      const graph = planGraph(parsed, { parallel: flags.parallel === true, fileGuard: flags.fileGuard });
      if (flags.json) {
        println(out, JSON.stringify({ ok: true, plan: parsed, graph: graphJson(graph) }, null, 2));
      } else {
        for (const line of describe(parsed, graph, planPath, flags)) println(out, line);
      }
      io.exitCode = 0;
    });
};

const graphJson = (g: PlanGraph) => ({ edges: Object.fromEntries(g.edges), waves: g.waves });

function describe(plan: Plan, graph: PlanGraph, file: string, flags: CheckFlags): string[] {
  const lines: string[] = [];
  const n = plan.tasks.length;
  lines.push(plan.title ?? file);
  const shape = plan.shape === "flat" ? "flat plan" : `batched plan, ${plan.batches.length} batches`;
  lines.push(`${file}: ${shape}, ${n} task${n === 1 ? "" : "s"}`);
  const byId = new Map(plan.tasks.map((t) => [t.id as string, t]));
  for (const batch of plan.batches) {
    lines.push("", batchLine(batch, flags));
    for (const id of batch.tasks) {
      const task = byId.get(id);
      if (task) lines.push(...taskLines(task));
    }
  }
  lines.push("", "May run at the same time:");
  graph.waves.forEach((wave, i) => {
    lines.push(`  ${i + 1}. ${wave.join(", ")}`);
  });
  const skipped = plan.tasks.filter((t) => t.skip).map((t) => t.id);
  if (skipped.length > 0) lines.push(`  (skipped, already completed: ${skipped.join(", ")})`);
  const notes = [
    ...plan.warnings.map((w) => `${w.pos ? `${file}:${w.pos.line}:${w.pos.column}: ` : ""}${w.message}`),
    ...executionModeNotes(plan),
  ];
  if (notes.length > 0) {
    lines.push("", `Warnings (${notes.length}):`);
    for (const note of notes) lines.push(`  ${note}`);
  }
  lines.push("", "Plan is valid.");
  return lines;
}

/**
 * `**Execution Mode:**` on a batch is shown, not applied: the run's --workers (or --mode local) decides how
 * many tasks run at once. The original format's seed plans write `local` on batches meant to run in
 * parallel ("Parallel Test - 3 Tasks"), so honouring it would serialize them (issue 21 item 6).
 */
function executionModeNotes(plan: Plan): string[] {
  const local = plan.batches.filter((b) => b.executionMode === "local").map((b) => b.id);
  if (local.length === 0) return [];
  const which = local.length === 1 ? `batch ${local[0]}` : `batches ${local.join(", ")}`;
  return [
    `**Execution Mode:** local on ${which} is not applied: the run's --workers decides how many tasks run at once (--workers 1 or --mode local runs them one at a time)`,
  ];
}

function batchLine(batch: PlanBatch, flags: CheckFlags): string {
  if (batch.implicit) {
    const how = flags.parallel
      ? "with --parallel they run at the same time unless their files say otherwise"
      : "they run one after another; --parallel runs them at the same time where files allow";
    return `Tasks: ${how}`;
  }
  const deps = batch.dependsOn.length > 0 ? batch.dependsOn.map((d) => `Batch ${d}`).join(", ") : "none";
  const mode = batch.executionMode ? ` · execution mode: ${batch.executionMode}` : "";
  const title = batch.title ? `: ${batch.title}` : "";
  return `Batch ${batch.id}${title} — depends on: ${deps}${mode}`;
}

function taskLines(task: PlanTask): string[] {
  const lines = [
    `  Task ${task.id}${task.title ? `: ${task.title}` : ""}${task.skip ? "  [skip: completed]" : ""}`,
  ];
  if (task.files.length > 0) lines.push("    files:");
  for (const f of task.files) {
    const note = f.note ? `  — ${f.note}` : "";
    lines.push(`      ${f.kind.padEnd(11)} ${f.path}${f.lines ? `  (lines ${f.lines})` : ""}${note}`);
  }
  for (const n of task.fileNotes ?? []) lines.push(`    files note (not a file): ${n}`);
  const deps = [
    ...task.dependsOn.map((d) => `${d} (written)`),
    ...task.inferredDependsOn.map((d) => `${d} (inferred from files)`),
  ];
  if (deps.length > 0) lines.push(`    depends on: ${deps.join(", ")}`);
  for (const c of task.verification.commands) lines.push(`    verify: $ ${c}`);
  for (const i of task.verification.instructions) lines.push(`    check (agent): ${i}`);
  if (task.agent) lines.push(`    agent: ${task.agent}`);
  if (task.allowNoChanges) lines.push("    may finish without changes");
  return lines;
}
