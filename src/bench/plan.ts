import { parsePlan } from "../plan/index.js";
import type { Plan } from "../plan/types.js";

/**
 * A batched plan of `tasks` independent tasks in one batch, each naming its own output file so the
 * file guard never serializes them. It goes through the real parser, as a user's plan would.
 */
export function benchPlanMarkdown(tasks: number): string {
  const out = ["# Benchmark plan", "", "## Batch 1: Independent tasks", ""];
  for (let i = 1; i <= tasks; i++) {
    out.push(
      `### Task 1.${i}: Sleep task ${i}`,
      "",
      "**Files:**",
      `- Create: \`out-1.${i}.txt\``,
      "",
      "Sleep for the scenario's duration, then write the output file.",
      "",
    );
  }
  return out.join("\n");
}

export function benchPlan(tasks: number): Plan {
  return parsePlan(benchPlanMarkdown(tasks), { source: "bench.md" });
}
