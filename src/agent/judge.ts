import type { AgentReport, ProcessResult } from "./types.js";

export interface Verdict {
  ok: boolean;
  reason: string | null;
}

const LONGEST_DETAIL = 300;

/**
 * Decides whether an agent run succeeded. No silent success: anything but a clean exit with no reported
 * error fails, with a short sentence a person can act on.
 */
export function judge(
  p: ProcessResult,
  report: AgentReport,
  limits: { timeoutMs?: number; idleTimeoutMs?: number; lastStderrLine?: string; command?: string },
): Verdict {
  const fail = (reason: string): Verdict => ({ ok: false, reason });
  if (p.spawnError) return fail(`could not start the agent: ${p.spawnError}`);
  if (p.aborted) return fail("cancelled");
  if (p.timedOut) return fail(`timed out after ${seconds(limits.timeoutMs)}`);
  if (p.idleTimedOut) return fail(`no output for ${seconds(limits.idleTimeoutMs)}`);
  if (p.signal) return fail(`killed by ${p.signal}`);
  if (p.exitCode !== 0) {
    // The CLI's own machine-readable error beats the last stderr line, which is often the tail of a stack trace.
    const detail = report.error || limits.lastStderrLine;
    return fail(`exited with code ${p.exitCode}${detail ? `: ${clip(detail)}` : ""}`);
  }
  if (report.status === "error") return fail(clip(report.error || "the agent reported an error"));
  return { ok: true, reason: null };
}

const seconds = (ms: number | undefined): string => `${Math.round((ms ?? 0) / 100) / 10} s`;
const clip = (s: string): string => {
  const t = s.trim();
  return t.length > LONGEST_DETAIL ? `${t.slice(0, LONGEST_DETAIL - 1)}…` : t;
};
