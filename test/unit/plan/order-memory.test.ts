import { describe, expect, it } from "vitest";
import { parsePlan, planGraph, taskId } from "../../../src/plan/index.js";

const flat = () =>
  parsePlan(
    [
      "### Task 1: a",
      "Do a.",
      "### Task 2: b",
      "**Depends on:** Task 3",
      "Do b.",
      "### Task 3: c",
      "Do c.",
      "",
    ].join("\n"),
  );
const order = (p: ReturnType<typeof flat>) =>
  planGraph(p, { parallel: false, fileGuard: false }).waves.flat();

// planGraph reuses the dependency order parsePlan computed; a plan edited in between must not get a stale one.
describe("the dependency order shared by parsePlan and planGraph", () => {
  it("follows the parsed dependencies", () => {
    expect(order(flat())).toEqual(["1", "3", "2"]);
  });

  it("is recomputed when a dependency is changed in place", () => {
    const p = flat();
    p.tasks[1]!.dependsOn[0] = taskId("1");
    expect(order(p)).toEqual(["1", "2", "3"]);
  });

  it("is recomputed when a dependency is added or removed", () => {
    const p = flat();
    p.tasks[0]!.dependsOn.push(taskId("3"));
    expect(order(p)).toEqual(["3", "1", "2"]);
    p.tasks[1]!.dependsOn.length = 0;
    p.tasks[0]!.dependsOn.length = 0;
    expect(order(p)).toEqual(["1", "2", "3"]);
  });
});
