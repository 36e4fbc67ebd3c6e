import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type Plan, PlanError, parsePlan } from "../../../src/plan/index.js";
import { FIXTURE_DIR, hasRealPlans, REAL_PLAN_DIR } from "./helpers.js";

/**
 * Real plans from public repositories (test/fixtures/plans/real/sources.json says where each came from)
 * and, for each, what a person reads in it (expectations.json): the task ids in order, each task's files,
 * the dependencies it states, the tasks marked done, or the error a person would expect for a plan that
 * cannot be run as written.
 */
const DIR = resolve(FIXTURE_DIR, "real");

interface ExpectedTask {
  id: string;
  files: string[];
  dependsOn?: string[];
  skip?: boolean;
}
type Expected = { tasks: ExpectedTask[] } | { error: string; why: string };

const expectations = JSON.parse(readFileSync(resolve(DIR, "expectations.json"), "utf8")) as Record<
  string,
  Expected
>;
const sources = JSON.parse(readFileSync(resolve(DIR, "sources.json"), "utf8")) as {
  file: string;
  repository: string;
  path: string;
  commit: string;
}[];

/** What the parser read, in the expectations' shape. */
function reading(file: string): Expected {
  let plan: Plan;
  try {
    plan = parsePlan(readFileSync(resolve(REAL_PLAN_DIR, file), "utf8"), { source: file });
  } catch (err) {
    if (err instanceof PlanError) return { error: err.code, why: err.message };
    throw err;
  }
  return {
    tasks: plan.tasks.map((t) => ({
      id: t.id,
      files: t.files.map((f) => f.path),
      ...(t.dependsOn.length > 0 ? { dependsOn: [...t.dependsOn] } : {}),
      ...(t.skip ? { skip: true } : {}),
    })),
  };
}

const same = (got: Expected, want: Expected): boolean =>
  "error" in want
    ? "error" in got && got.error === want.error
    : !("error" in got) && JSON.stringify(got.tasks) === JSON.stringify(want.tasks);

if (!hasRealPlans) {
  console.warn(
    `the corpus of real plans is skipped: ${REAL_PLAN_DIR} does not exist (the plans are public repositories' files, kept out of Orchard's commits; put them there or set ORCHARD_PLAN_CORPUS)`,
  );
}

describe.skipIf(!hasRealPlans)("a corpus of real plans, read as a person reads them (issue 22)", () => {
  it("holds at least 40 plans from at least 15 repositories, half of them checkbox-step plans", () => {
    const files = Object.keys(expectations);
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(new Set(sources.map((s) => s.repository)).size).toBeGreaterThanOrEqual(15);
    for (const f of files) expect(sources.find((s) => s.file === f)?.commit).toMatch(/^[0-9a-f]{40}$/);
    const checkbox = files.filter((f) =>
      /^- \[[ x]\] \*\*Step \d/m.test(readFileSync(resolve(REAL_PLAN_DIR, f), "utf8")),
    );
    expect(checkbox.length * 2).toBeGreaterThanOrEqual(files.length);
  });

  it("reads at least 95% of them exactly", () => {
    const misread = Object.entries(expectations)
      .filter(([file, want]) => !same(reading(file), want))
      .map(([file]) => file);
    const total = Object.keys(expectations).length;
    expect(misread.length / total, `misread: ${misread.join(", ")}`).toBeLessThanOrEqual(0.05);
  });
});
