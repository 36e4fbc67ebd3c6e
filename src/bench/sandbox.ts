/**
 * The sandbox's cost per task (issue 27): the same plan of no-op tasks run unconfined, in the sandbox
 * without network, and in the sandbox with its network gate (an `--allow-host`, so every command starts
 * behind the in-sandbox relay), in alternating rounds. It prints the p50 and p95 of each task's agent
 * process time (start to exit: for a no-op agent, all of it is starting and ending processes).
 * Run: npm run build && node dist/bench/sandbox.js [tasks] [rounds] (tsx would add its loader to the relay).
 */

import type { RunOptionsInput } from "../engine/index.js";
import { openRepoStore, startRun } from "../engine/index.js";
import { sleepAgentCommand } from "./agent.js";
import { benchPlan } from "./plan.js";
import { benchClone, generatedRepo } from "./repo.js";
import { spread } from "./stats.js";

const TASKS = Number(process.argv[2] ?? 24);
const ROUNDS = Number(process.argv[3] ?? 2);

const MODES: Record<string, RunOptionsInput> = {
  unconfined: { mode: "parallel" },
  sandbox: { mode: "sandbox" },
  "sandbox + network gate": { mode: "sandbox", allowHosts: ["127.0.0.1:9999"] },
};

async function once(options: RunOptionsInput): Promise<number[]> {
  const clone = await benchClone(await generatedRepo("small"), "sandbox");
  try {
    const handle = await startRun({
      repo: clone.dir,
      plan: benchPlan(TASKS),
      options: { agent: "command", agentCommand: sleepAgentCommand(0), workers: 2, ...options },
    });
    const result = await handle.done;
    if (result.status !== "succeeded")
      throw new Error(`bench run ${result.status}: ${result.tasks.map((t) => t.reason).find(Boolean)}`);
    const store = await openRepoStore(clone.dir);
    try {
      return (await store.listAttempts(result.runId)).map((a) => a.timings?.agentMs ?? Number.NaN);
    } finally {
      await store.close();
    }
  } finally {
    await clone.remove();
  }
}

const samples = new Map<string, number[]>(Object.keys(MODES).map((m) => [m, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, options] of Object.entries(MODES)) samples.get(name)!.push(...(await once(options)));
}
const base = spread(samples.get("unconfined")!).p50;
console.log(`| mode | tasks | agent process p50 (ms) | p95 (ms) | p50 over unconfined (ms) |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const [name, values] of samples) {
  const s = spread(values);
  console.log(
    `| ${name} | ${s.n} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${(s.p50 - base).toFixed(1)} |`,
  );
}
