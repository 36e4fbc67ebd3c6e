import { describe, expect, it } from "vitest";
import { ClaudeStreamReader } from "../../../../src/agent/presets/readers/claude-reader.js";
import { feed, readCapture } from "./capture.js";

const read = (name: string) => readCapture(new ClaudeStreamReader(), name);

describe("ClaudeStreamReader on Claude Code 2.1.197's stream-json", () => {
  it("reads session, model, turns, tokens and cost of a run that wrote a file", () => {
    const report = read("claude-write-file.jsonl");
    expect(report).toEqual({
      status: "ok",
      usage: {
        sessionId: "bd2a241e-3f0d-4ef7-8715-bd9e49d86e2a",
        model: "claude-opus-4-8[1m]",
        turns: 2,
        inputTokens: 2400,
        outputTokens: 160,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.016,
      },
    });
  });

  it("fails with the CLI's message on an API error, not as a rate limit", () => {
    const report = read("claude-api-error-500.jsonl");
    expect(report.status).toBe("error");
    expect(report.error).toMatch(/^API Error: 500 scripted internal server error/);
    expect(report.rateLimited).toBeUndefined();
    expect(report.usage.sessionId).toBe("356eb691-66d9-41d4-97f6-05a679756470");
  });

  it("reports a 400 the CLI rewords (prompt too long) as a plain error", () => {
    const report = read("claude-prompt-too-long-400.jsonl");
    expect(report.status).toBe("error");
    expect(report.error).toMatch(/Prompt is too long/);
    expect(report.rateLimited).toBeUndefined();
  });

  it("marks a 429 as rate-limited with the retry-after the CLI honoured", () => {
    const report = read("claude-rate-limit-429.jsonl");
    expect(report).toMatchObject({ status: "error", rateLimited: true, retryAfterMs: 7000 });
    expect(report.error).toContain("429");
  });

  it("marks a 529 overloaded reply as rate-limited without a retry-after", () => {
    const report = read("claude-overloaded-529.jsonl");
    expect(report).toMatchObject({ status: "error", rateLimited: true });
    expect(report.retryAfterMs).toBeUndefined();
  });

  it("says unknown when no result line came, keeping the session it saw", () => {
    const report = feed(new ClaudeStreamReader(), [
      { type: "system", subtype: "init", session_id: "s1", model: "m" },
      "not json",
    ]);
    expect(report).toEqual({ status: "unknown", usage: { sessionId: "s1", model: "m" } });
  });

  it("explains a budget stop and counts permission denials", () => {
    const report = feed(new ClaudeStreamReader(), [
      {
        type: "result",
        subtype: "error_max_budget_usd",
        is_error: true,
        num_turns: 3,
        permission_denials: [{}],
      },
    ]);
    expect(report.status).toBe("error");
    expect(report.error).toBe(
      "stopped at its budget (--max-budget-usd) (1 tool use(s) denied by the permission mode)",
    );
    expect(report.usage.turns).toBe(3);
  });

  it("ignores stderr and lines that are not objects", () => {
    const r = new ClaudeStreamReader();
    r.onLine('{"type":"result","subtype":"success","is_error":false}', "stderr");
    r.onLine("[1,2]", "stdout");
    expect(r.finish().status).toBe("unknown");
  });
});
