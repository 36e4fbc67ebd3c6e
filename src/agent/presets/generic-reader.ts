import type { AgentUsage } from "../../store/types.js";
import type { AgentReport, OutputReader } from "../types.js";

const NUMBER_FIELDS = [
  "turns",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "costUsd",
] as const;

/**
 * Reads the output of a program that speaks no agent protocol: status "unknown", no usage. Two
 * opt-in JSON lines let any command (and the test fixtures) report more:
 *   {"orchard_usage": {"costUsd": 0.01, "turns": 3, ...}}   usage, merged over earlier such lines
 *   {"orchard_report": {"status": "error", "error": "…", "rateLimited": true, "retryAfterMs": 5000}}
 */
export function createGenericReader(): OutputReader {
  let usage: AgentUsage = {};
  const report: Omit<AgentReport, "usage"> = { status: "unknown" };
  return {
    onLine(line, stream) {
      if (stream !== "stdout") return;
      const obj = parseObject(line);
      if (!obj) return;
      if (isRecord(obj.orchard_usage)) usage = { ...usage, ...readUsage(obj.orchard_usage) };
      if (isRecord(obj.orchard_report)) Object.assign(report, readReport(obj.orchard_report));
    },
    finish: () => ({ ...report, usage }),
  };
}

function parseObject(line: string): Record<string, unknown> | null {
  const s = line.trim();
  if (!s.startsWith("{") || !s.includes('"orchard_')) return null;
  try {
    const v: unknown = JSON.parse(s);
    return isRecord(v) ? v : null;
  } catch {
    return null;
  }
}

function readUsage(raw: Record<string, unknown>): AgentUsage {
  const usage: AgentUsage = {};
  for (const key of NUMBER_FIELDS) {
    const v = raw[key];
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) usage[key] = v;
  }
  if (typeof raw.sessionId === "string") usage.sessionId = raw.sessionId;
  if (typeof raw.model === "string") usage.model = raw.model;
  return usage;
}

function readReport(raw: Record<string, unknown>): Partial<AgentReport> {
  const out: Partial<AgentReport> = {};
  if (raw.status === "ok" || raw.status === "error" || raw.status === "unknown") out.status = raw.status;
  if (typeof raw.error === "string") out.error = raw.error;
  if (typeof raw.rateLimited === "boolean") out.rateLimited = raw.rateLimited;
  if (typeof raw.retryAfterMs === "number") out.retryAfterMs = raw.retryAfterMs;
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
