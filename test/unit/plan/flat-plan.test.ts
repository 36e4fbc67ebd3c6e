import { describe, expect, it } from "vitest";
import { planGraph } from "../../../src/plan/index.js";
import { fixture, task } from "./helpers.js";

const plan = fixture("flat-rate-limiter.md");
const edges = (g: ReturnType<typeof planGraph>) =>
  Object.fromEntries([...g.edges].map(([t, es]) => [t, es.map((e) => `${e.on}:${e.kind}:${e.reason}`)]));

describe("flat plan (superpowers style)", () => {
  it("reads the title, goal, architecture and one implicit batch", () => {
    expect(plan.shape).toBe("flat");
    expect(plan.title).toBe("Rate Limiter Implementation Plan");
    expect(plan.goal).toBe(
      "Add a token-bucket rate limiter to the HTTP API so one client cannot starve the others.",
    );
    expect(plan.architecture).toMatch(
      /^A pure `TokenBucket` class holds the arithmetic;.*\nclient key in an LRU map/s,
    );
    expect(plan.context).toContain("**Tech Stack:** TypeScript, Express, vitest");
    expect(plan.batches).toEqual([
      {
        id: "1",
        title: "Rate Limiter Implementation Plan",
        index: 0,
        pos: { line: 14, column: 1 },
        dependsOn: [],
        tasks: ["1", "2", "3", "4", "5", "6"],
        implicit: true,
      },
    ]);
    expect(plan.tasks.map((t) => [t.id, t.title, t.batch])).toEqual([
      ["1", "Token bucket", "1"],
      ["2", "Client keys", "1"],
      ["3", "Middleware", "1"],
      ["4", "Wire it into the server", "1"],
      ["5", "Configuration", "1"],
      ["6", "Changelog", "1"],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it("reads Files prefixes and strips line ranges into `lines`", () => {
    expect(task(plan, "3").files).toEqual([
      { path: "src/limiter/middleware.ts", kind: "create" },
      { path: "src/limiter/bucket.ts", kind: "modify", lines: "1-30" },
      { path: "src/http/request.ts", kind: "read" },
      { path: "test/limiter/middleware.test.ts", kind: "test" },
    ]);
    expect(task(plan, "2").files[1]).toEqual({ path: "src/http/request.ts", kind: "modify", lines: "12-40" });
  });

  it("collects Step lines and keeps the free text as implementation", () => {
    expect(task(plan, "1").steps).toEqual([
      "Step 1: Write the failing test",
      "Step 2: Run test to verify it fails",
      "Step 3: Write minimal implementation",
      "Step 4: Commit",
    ]);
    const impl = task(plan, "1").implementation;
    expect(impl.startsWith("**Step 1: Write the failing test**")).toBe(true);
    expect(impl).toContain("Run: `npx vitest run test/limiter/bucket.test.ts`");
    expect(impl).not.toContain("**Files:**");
    expect(task(plan, "1").codeBlocks.map((c) => c.lang)).toEqual(["ts", "ts", "bash"]);
    expect(task(plan, "2").codeBlocks).toEqual([
      {
        lang: "ts",
        value: expect.stringContaining("export const clientKey"),
        path: "src/limiter/keys.ts",
      },
    ]);
  });

  it("reads fenced verification commands line by line, dropping comments", () => {
    expect(task(plan, "3").verification).toEqual({
      commands: ["npx vitest run test/limiter", "npx vitest run"],
      instructions: ["The 429 body says when to retry"],
    });
    expect(task(plan, "3").commit).toBe("feat: rate limiting middleware");
    expect(task(plan, "2").verification.commands).toEqual(["npx tsc --noEmit"]);
  });

  it("reads Depends on and Agent", () => {
    expect(task(plan, "4").dependsOn).toEqual(["3"]);
    expect(task(plan, "5").agent).toBe("codex");
  });

  it("infers dependencies from files an earlier task creates or modifies", () => {
    expect(plan.tasks.map((t) => [t.id, t.inferredDependsOn])).toEqual([
      ["1", []],
      ["2", []],
      ["3", ["1", "2"]], // modifies bucket.ts (task 1), reads request.ts (modified by task 2)
      ["4", []], // middleware.ts comes from task 3, already a written dependency
      ["5", []],
      ["6", ["5"]], // reads docs/rate-limits.md, created by task 5
    ]);
  });

  it("planGraph without --parallel chains the tasks in order", () => {
    const g = planGraph(plan, { parallel: false, fileGuard: true });
    expect(edges(g)).toEqual({
      "1": [],
      "2": ["1:order:flat-order"],
      "3": ["2:order:flat-order"],
      "4": ["3:dep:depends-on"],
      "5": ["4:order:flat-order"],
      "6": ["5:order:flat-order"],
    });
    expect(g.waves).toEqual([["1"], ["2"], ["3"], ["4"], ["5"], ["6"]]);
  });

  it("planGraph with --parallel runs tasks together except where files say otherwise", () => {
    const g = planGraph(plan, { parallel: true, fileGuard: true });
    expect(edges(g)).toEqual({
      "1": [],
      "2": [],
      "3": ["1:dep:inferred-file", "2:dep:inferred-file"],
      "4": ["3:dep:depends-on"],
      "5": [],
      "6": ["5:dep:inferred-file"],
    });
    expect(g.waves).toEqual([["1", "2", "5"], ["3", "6"], ["4"]]);
    // Inferred dependencies already order every shared file, so the guard adds nothing here.
    expect(edges(planGraph(plan, { parallel: true, fileGuard: false }))).toEqual(edges(g));
  });
});
