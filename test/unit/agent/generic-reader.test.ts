import { describe, expect, it } from "vitest";
import { createGenericReader } from "../../../src/agent/index.js";

describe("generic output reader", () => {
  it("says nothing machine-readable for plain output", () => {
    const r = createGenericReader();
    r.onLine("working…", "stdout");
    r.onLine("{not json", "stdout");
    expect(r.finish()).toEqual({ status: "unknown", usage: {} });
  });

  it("takes usage from orchard_usage lines, merging later ones over earlier", () => {
    const r = createGenericReader();
    r.onLine(JSON.stringify({ orchard_usage: { costUsd: 0.5, turns: 2, model: "m1" } }), "stdout");
    r.onLine(JSON.stringify({ orchard_usage: { turns: 3, inputTokens: -1, outputTokens: "x" } }), "stdout");
    expect(r.finish().usage).toEqual({ costUsd: 0.5, turns: 3, model: "m1" });
  });

  it("ignores usage printed on stderr", () => {
    const r = createGenericReader();
    r.onLine(JSON.stringify({ orchard_usage: { costUsd: 1 } }), "stderr");
    expect(r.finish().usage).toEqual({});
  });

  it("reads an orchard_report line: error status and rate limit", () => {
    const r = createGenericReader();
    r.onLine(
      JSON.stringify({
        orchard_report: { status: "error", error: "overloaded", rateLimited: true, retryAfterMs: 5 },
      }),
      "stdout",
    );
    expect(r.finish()).toEqual({
      status: "error",
      error: "overloaded",
      rateLimited: true,
      retryAfterMs: 5,
      usage: {},
    });
  });
});
