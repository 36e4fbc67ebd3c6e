/**
 * The scripted agent's process entry: `node main.js <task.json>`, cwd = the slot. It reads the task
 * (a PlanTask), carries it out deterministically, prints a short transcript and a usage line, and
 * exits 1 when it refused or failed any part of the task.
 */
import { readFile } from "node:fs/promises";
import type { PlanTask } from "../../plan/types.js";
import { planActions } from "./actions.js";
import { applyActions } from "./apply.js";

async function main(): Promise<number> {
  const taskFile = process.argv[2];
  if (!taskFile) {
    console.error("usage: scripted-agent <task.json>");
    return 2;
  }
  const task = parseTask(await readFile(taskFile, "utf8"));
  console.log(`scripted agent: task ${task.id}: ${task.title}`);
  const actions = planActions(task);
  if (actions.length === 0) console.log("nothing to write: the task names no file to create or change");
  const { done, errors } = await applyActions(process.cwd(), actions);
  for (const line of done) console.log(line);
  for (const line of errors) console.error(line);
  console.log(JSON.stringify({ orchard_usage: { turns: 1 } }));
  return errors.length > 0 ? 1 : 0;
}

function parseTask(text: string): PlanTask {
  const t = JSON.parse(text) as Partial<PlanTask>;
  if (typeof t.id !== "string" || !Array.isArray(t.files)) {
    throw new Error("the task file is not a PlanTask (it needs an id and files)");
  }
  return {
    title: "",
    body: "",
    implementation: "",
    codeBlocks: [],
    ...t,
  } as PlanTask;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`scripted agent: ${err.message}`);
    process.exitCode = 1;
  },
);
