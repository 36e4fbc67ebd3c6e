import { describe, expect, it } from "vitest";
import { AiderTextReader } from "../../../../src/agent/presets/readers/aider-reader.js";
import { feed } from "./capture.js";

// Aider cannot be installed here (a Python tool); these lines follow the format its documentation shows.
describe("AiderTextReader on Aider's text output", () => {
  it("sums tokens over model calls and keeps the session cost", () => {
    const report = feed(new AiderTextReader(), [
      "Aider v0.86.1",
      "Model: anthropic/claude-sonnet-4-5 with diff edit format, infinite output",
      "Tokens: 2.3k sent, 150 received. Cost: $0.0092 message, $0.0092 session.",
      "Applied edit to hello.txt",
      "Tokens: 4.1k sent, 1.2k cache hit, 20 received. Cost: $0.01 message, $0.02 session.",
    ]);
    expect(report).toEqual({
      status: "unknown",
      usage: {
        model: "anthropic/claude-sonnet-4-5",
        turns: 2,
        inputTokens: 6400,
        cacheReadTokens: 1200,
        outputTokens: 170,
        costUsd: 0.02,
      },
    });
  });

  it("marks litellm's rate-limit and overloaded errors as rate-limited", () => {
    expect(
      feed(new AiderTextReader(), ["litellm.RateLimitError: AnthropicException - rate limit exceeded"]),
    ).toMatchObject({
      status: "error",
      rateLimited: true,
    });
    expect(
      feed(new AiderTextReader(), ["litellm.InternalServerError: AnthropicException - Overloaded"]),
    ).toMatchObject({
      rateLimited: true,
    });
  });

  it("fails a bad request with litellm's message", () => {
    const report = feed(new AiderTextReader(), ["litellm.BadRequestError: invalid model"]);
    expect(report).toMatchObject({ status: "error", error: "BadRequestError: invalid model" });
    expect(report.rateLimited).toBeUndefined();
  });
});
