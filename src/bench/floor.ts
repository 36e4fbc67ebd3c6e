import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../agent/index.js";
import { sleepAgentScript } from "./agent.js";

/**
 * The agent floor: the same sleep agents, `workers` at a time, started the way the engine starts them
 * (`runProcess`) in an empty scratch directory — and nothing else: no
 * store, no slots, no git, no events. Its makespan is the best any orchestrator could do with this agent
 * on this machine at this moment; the engine's row beside it shows how much of the gap to the ideal is
 * the engine's. On a machine where starting a process is slow, the floor itself is well short of ideal.
 */
export async function runAgentFloor(
  tasks: number,
  workers: number,
  durationMs: number,
): Promise<{ makespanMs: number; outputs: string[] }> {
  const scratch = await mkdtemp(join(tmpdir(), "orchard-bench-floor-"));
  const script = sleepAgentScript(durationMs);
  let next = 0;
  let lastExit = 0;
  const lane = async () => {
    for (let i = next++; i < tasks; i = next++) {
      const agent = await runProcess({
        argv: ["sh", "-c", script.replace("{task_id}", `1.${i + 1}`)],
        cwd: scratch,
        input: "",
      });
      if (agent.exitCode !== 0) throw new Error(`floor agent failed in ${scratch}: exit ${agent.exitCode}`);
      lastExit = performance.now();
    }
  };
  try {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: workers }, lane));
    const makespanMs = lastExit - t0;
    return { makespanMs, outputs: (await readdir(scratch)).sort() };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
