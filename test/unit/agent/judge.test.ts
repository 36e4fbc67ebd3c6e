import { describe, expect, it } from "vitest";
import { type AgentReport, judge, type ProcessResult } from "../../../src/agent/index.js";

const proc = (over: Partial<ProcessResult> = {}): ProcessResult => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  idleTimedOut: false,
  aborted: false,
  spawnError: null,
  startedAt: 0,
  spawnMs: 1,
  durationMs: 2,
  ...over,
});
const report = (over: Partial<AgentReport> = {}): AgentReport => ({ status: "unknown", usage: {}, ...over });

describe("judge: no silent success", () => {
  it("passes a clean exit", () => {
    expect(judge(proc(), report(), {})).toEqual({ ok: true, reason: null });
  });

  it("fails a non-zero exit with the last stderr line", () => {
    expect(judge(proc({ exitCode: 2 }), report(), { lastStderrLine: "  boom  " })).toEqual({
      ok: false,
      reason: "exited with code 2: boom",
    });
    expect(judge(proc({ exitCode: 1 }), report(), {}).reason).toBe("exited with code 1");
    expect(judge(proc({ exitCode: 1 }), report({ error: "auth" }), {}).reason).toBe(
      "exited with code 1: auth",
    );
  });

  it("prefers the CLI's reported error to a noisy last stderr line", () => {
    expect(
      judge(proc({ exitCode: 144 }), report({ error: "API Error: 400 bad field" }), { lastStderrLine: "}" })
        .reason,
    ).toBe("exited with code 144: API Error: 400 bad field");
  });

  it("names timeouts in seconds", () => {
    expect(judge(proc({ timedOut: true, signal: "SIGTERM" }), report(), { timeoutMs: 600_000 }).reason).toBe(
      "timed out after 600 s",
    );
    expect(judge(proc({ idleTimedOut: true }), report(), { idleTimeoutMs: 1500 }).reason).toBe(
      "no output for 1.5 s",
    );
  });

  it("fails on a signal, a spawn error, a cancel", () => {
    expect(judge(proc({ exitCode: null, signal: "SIGKILL" }), report(), {}).reason).toBe("killed by SIGKILL");
    expect(judge(proc({ spawnError: "command not found: x" }), report(), {}).reason).toBe(
      "could not start the agent: command not found: x",
    );
    expect(judge(proc({ aborted: true }), report(), {}).reason).toBe("cancelled");
  });

  it("fails an exit 0 whose output reported an error", () => {
    expect(judge(proc(), report({ status: "error", error: "max turns reached" }), {})).toEqual({
      ok: false,
      reason: "max turns reached",
    });
    expect(judge(proc(), report({ status: "error" }), {}).reason).toBe("the agent reported an error");
  });
});
