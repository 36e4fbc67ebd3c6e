import { describe, expect, it } from "vitest";
import {
  OpenCodeJsonReader,
  retryAfterHeader,
} from "../../../../src/agent/presets/readers/opencode-reader.js";
import { readCapture } from "./capture.js";

const read = (name: string) => readCapture(new OpenCodeJsonReader(), name);

describe("OpenCodeJsonReader on opencode-ai 1.18's run --format json", () => {
  it("sums tokens and cost over its steps and reads the session", () => {
    expect(read("opencode-write-file.jsonl")).toEqual({
      status: "ok",
      usage: {
        sessionId: "ses_df775e767ffeY9uRDHscTbogUh",
        turns: 2,
        inputTokens: 2400,
        outputTokens: 160,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.0096,
      },
    });
  });

  it("fails an API error with its message and status", () => {
    const report = read("opencode-api-error-400.jsonl");
    expect(report.status).toBe("error");
    expect(report.error).toBe("scripted invalid request: the temperature field is not allowed (HTTP 400)");
    expect(report.rateLimited).toBeUndefined();
  });

  it("marks a 429 as rate-limited with the server's retry-after", () => {
    expect(read("opencode-rate-limit-429.jsonl")).toMatchObject({
      status: "error",
      rateLimited: true,
      retryAfterMs: 2000,
    });
  });

  it("reads retry-after as seconds or as an HTTP date", () => {
    expect(retryAfterHeader("1.5")).toBe(1500);
    expect(retryAfterHeader(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterHeader("soon")).toBeUndefined();
    expect(retryAfterHeader(undefined)).toBeUndefined();
  });
});
