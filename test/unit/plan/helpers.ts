import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Plan, type PlanTask, parsePlan } from "../../../src/plan/index.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The seed plans live in shared/, the sibling of the repository. */
export const SEED_DIR = resolve(here, "../../../../shared/plans/seed");
export const FIXTURE_DIR = resolve(here, "../../fixtures/plans");
/**
 * The real plans of the corpus (test/fixtures/plans/real/sources.json says where each comes from) are
 * public repositories' files: they are kept out of Orchard's commits and read from shared/plans/real
 * beside the repository, or from ORCHARD_PLAN_CORPUS. The expectations beside sources.json are ours.
 */
export const REAL_PLAN_DIR =
  process.env.ORCHARD_PLAN_CORPUS ?? resolve(here, "../../../../shared/plans/real");
export const hasRealPlans = existsSync(REAL_PLAN_DIR);

export const seedText = (name: string): string => readFileSync(resolve(SEED_DIR, name), "utf8");
export const seed = (name: string): Plan => parsePlan(seedText(name), { source: name });
export const fixture = (name: string): Plan =>
  parsePlan(readFileSync(resolve(FIXTURE_DIR, name), "utf8"), { source: name });

export function task(plan: Plan, id: string): PlanTask {
  const t = plan.tasks.find((x) => x.id === id);
  if (!t) throw new Error(`no task ${id} in plan`);
  return t;
}

/** Catches the PlanError a parse throws, so tests can look at its code and position. */
export function parseError(text: string): { code: string; line: number; column: number; message: string } {
  try {
    parsePlan(text, { source: "t.md" });
  } catch (err) {
    const e = err as { code: string; pos: { line: number; column: number }; message: string };
    return { code: e.code, line: e.pos.line, column: e.pos.column, message: e.message };
  }
  throw new Error("expected parsePlan to throw");
}
