import { batchId, type PlanTask, taskId } from "../../src/plan/types.js";

/** A PlanTask with the given fields; the rest empty, the way the parser leaves a bare task. */
export function makeTask(fields: Partial<PlanTask> & Pick<PlanTask, "files">): PlanTask {
  return {
    id: taskId("1.1"),
    title: "A task",
    batch: batchId("1"),
    index: 0,
    pos: { line: 1, column: 1 },
    body: fields.implementation ?? "",
    implementation: "",
    codeBlocks: [],
    steps: [],
    verification: { commands: [], instructions: [] },
    dependsOn: [],
    inferredDependsOn: [],
    skip: false,
    allowNoChanges: false,
    ...fields,
  };
}
