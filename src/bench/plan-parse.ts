/**
 * Times parsePlan + planGraph on generated 10,000-task plans, batched and flat, and prints the medians.
 * Run: npm run build && node dist/bench/plan-parse.js [tasks] [repetitions] (tsx adds its own overhead).
 *
 * On the 2 shared cores here the wall times swing by ±20% with the load; compare two builds in one process,
 * alternating, rather than run after run. What does not swing: a parse of the batched plan allocates ~600 MB
 * (commonmark.js itself a little over half), and about a fifth of its time is scavenging, much of it copying
 * the ~26 MB Plan it builds out of the young generation.
 */
import { parsePlan, planGraph } from "../plan/index.js";

const TASKS = Number(process.argv[2] ?? 10_000);
const REPS = Number(process.argv[3] ?? 7);
const PER_BATCH = 10;

function task(id: string, n: number, extra = ""): string {
  return `### Task ${id}: Build part ${n}

**Files:**
- Create: \`src/parts/part-${n}.ts\`
- Modify: \`src/parts/index.ts:${n}-${n + 3}\`
- Test: \`test/parts/part-${n}.test.ts\`
${extra}
**Implementation:**
Create \`src/parts/part-${n}.ts\`:

\`\`\`ts
export const part${n} = () => ${n};
\`\`\`

Then export it from the index.

**Verification:**
- \`npx vitest run test/parts/part-${n}.test.ts\`
- The part is exported

**Commit:** feat: part ${n}

`;
}

function batchedPlan(tasks: number): string {
  let s = "# Generated batched plan\n\nA benchmark plan.\n\n";
  for (let n = 0; n < tasks; n++) {
    const b = Math.floor(n / PER_BATCH) + 1;
    if (n % PER_BATCH === 0) {
      s += `## Batch ${b}: Parts ${n}–${n + PER_BATCH - 1}\n\n**Dependencies:** ${b === 1 ? "None" : `Batch ${b - 1}`}\n**Execution Mode:** parallel\n\n`;
    }
    s += task(`${b}.${(n % PER_BATCH) + 1}`, n);
  }
  return s;
}

function flatPlan(tasks: number): string {
  let s =
    "# Generated Flat Implementation Plan\n\n**Goal:** benchmark.\n\n**Architecture:** none.\n\n---\n\n";
  for (let n = 0; n < tasks; n++) {
    const dep = n > 0 && n % 7 === 0 ? `**Depends on:** Task ${n - 3}\n` : "";
    s += task(String(n + 1), n, dep);
  }
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bench(name: string, text: string, parallel: boolean): void {
  const parse: number[] = [];
  const graph: number[] = [];
  let edges = 0;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    const plan = parsePlan(text);
    const t1 = performance.now();
    const g = planGraph(plan, { parallel, fileGuard: true });
    const t2 = performance.now();
    parse.push(t1 - t0);
    graph.push(t2 - t1);
    edges = [...g.edges.values()].reduce((n, es) => n + es.length, 0);
  }
  const kb = Math.round(text.length / 1024);
  console.log(
    `${name}: ${TASKS} tasks, ${kb} KiB, ${edges} edges — parsePlan median ${median(parse).toFixed(1)} ms, ` +
      `planGraph median ${median(graph).toFixed(1)} ms, total ${(median(parse) + median(graph)).toFixed(1)} ms (${REPS} runs)`,
  );
}

bench("batched", batchedPlan(TASKS), false);
bench("flat sequential", flatPlan(TASKS), false);
bench("flat parallel", flatPlan(TASKS), true);
