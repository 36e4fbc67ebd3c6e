import { describe, expect, it } from "vitest";
import { CodexJsonReader } from "../../../../src/agent/presets/readers/codex-reader.js";
import { feed, readCapture } from "./capture.js";

const read = (name: string) => readCapture(new CodexJsonReader(), name);

describe("CodexJsonReader on Codex 0.169's exec --json", () => {
  it("reads the thread id, turns and tokens of a run that wrote a file (Codex reports no cost)", () => {
    expect(read("codex-write-file.jsonl")).toEqual({
      status: "ok",
      usage: {
        sessionId: "01a2087d-fefd-7a31-a15c-e70c04ec41ac",
        turns: 1,
        inputTokens: 2400,
        outputTokens: 160,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
    });
  });

  it("fails a 400 with the API's own sentence, unwrapped from the JSON body", () => {
    const report = read("codex-api-error-400.jsonl");
    expect(report.status).toBe("error");
    expect(report.error).toBe("scripted invalid request: the temperature field is not allowed");
    expect(report.rateLimited).toBeUndefined();
  });

  it("marks a 429 (after Codex's own retries) as rate-limited", () => {
    const report = read("codex-rate-limit-429.jsonl");
    expect(report).toMatchObject({ status: "error", rateLimited: true });
    expect(report.error).toMatch(/429 Too Many Requests/);
  });

  it("marks Codex's words for 5xx and 503 (high demand, at capacity) as rate-limited", () => {
    expect(read("codex-api-error-500.jsonl")).toMatchObject({ status: "error", rateLimited: true });
    expect(read("codex-overloaded-503.jsonl")).toMatchObject({ status: "error", rateLimited: true });
  });

  it("forgives an error event that a later completed turn recovered from", () => {
    const report = feed(new CodexJsonReader(), [
      { type: "thread.started", thread_id: "t" },
      { type: "error", message: "Reconnecting... 1/5" },
      { type: "turn.completed", usage: { input_tokens: 10, output_tokens: 2 } },
    ]);
    expect(report).toEqual({
      status: "ok",
      usage: { sessionId: "t", turns: 1, inputTokens: 10, outputTokens: 2 },
    });
  });

  it("sums usage over several turns and says unknown when none completed", () => {
    const two = feed(new CodexJsonReader(), [
      { type: "turn.completed", usage: { input_tokens: 10, output_tokens: 2, cached_input_tokens: 5 } },
      { type: "turn.completed", usage: { input_tokens: 1, output_tokens: 1 } },
    ]);
    expect(two.usage).toEqual({ turns: 2, inputTokens: 11, outputTokens: 3, cacheReadTokens: 5 });
    expect(feed(new CodexJsonReader(), [{ type: "thread.started", thread_id: "t" }]).status).toBe("unknown");
  });
});
