import { describe, expect, it } from "vitest";
import { GeminiStreamReader } from "../../../../src/agent/presets/readers/gemini-reader.js";
import { feed, readCapture } from "./capture.js";

const read = (name: string) => readCapture(new GeminiStreamReader(), name);

describe("GeminiStreamReader on Gemini CLI 0.61's stream-json", () => {
  it("reads session, model, turns and tokens of a run that wrote a file (Gemini reports no cost)", () => {
    expect(read("gemini-write-file.jsonl")).toEqual({
      status: "ok",
      usage: {
        sessionId: "1b14d711-08f6-4a5d-8576-f26712cc957c",
        model: "gemini-2.5-pro",
        turns: 2,
        inputTokens: 2400,
        outputTokens: 160,
        cacheReadTokens: 0,
      },
    });
  });

  it("fails an API error with the API's sentence", () => {
    const report = read("gemini-api-error-400.jsonl");
    expect(report.status).toBe("error");
    expect(report.error).toBe("API Error: scripted invalid request: the temperature field is not allowed");
    expect(report.rateLimited).toBeUndefined();
    expect(read("gemini-api-error-500.jsonl")).toMatchObject({
      status: "error",
      error: "API Error: scripted internal server error",
    });
  });

  it("marks a 429 as rate-limited with the suggested retry delay", () => {
    expect(read("gemini-rate-limit-429.jsonl")).toMatchObject({
      status: "error",
      rateLimited: true,
      retryAfterMs: 3000,
    });
  });

  it("marks an overloaded model as rate-limited", () => {
    expect(read("gemini-overloaded-503.jsonl")).toMatchObject({ status: "error", rateLimited: true });
  });

  it("counts a model turn per stretch of model output, and is unknown without a result", () => {
    const report = feed(new GeminiStreamReader(), [
      { type: "message", role: "user", content: "x" },
      { type: "message", role: "assistant", content: "a", delta: true },
      { type: "tool_use", tool_name: "write_file" },
      { type: "tool_result", status: "success" },
      { type: "tool_use", tool_name: "write_file" },
      { type: "tool_result", status: "success" },
      { type: "message", role: "assistant", content: "b", delta: true },
      { type: "message", role: "assistant", content: "c", delta: true },
    ]);
    expect(report).toEqual({ status: "unknown", usage: { turns: 3 } });
  });
});
