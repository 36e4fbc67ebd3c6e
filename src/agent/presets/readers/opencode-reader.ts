import type { AgentUsage } from "../../../store/types.js";
import type { AgentReport, OutputReader } from "../../types.js";
import { dropUndefined } from "./claude-reader.js";
import { add, num, obj, parseJsonObject, str } from "./json-lines.js";
import { classifyRateLimit } from "./rate-limit.js";

/**
 * Reads `opencode run --format json`: `step_start`, `text`, `tool_use`, `step_finish` (one per model
 * call, with tokens and cost; reason "stop" on the last) and `error` (name, data.message, statusCode,
 * responseHeaders). Every line carries the sessionID.
 */
export class OpenCodeJsonReader implements OutputReader {
  private usage: AgentUsage = {};
  private stopped = false;
  private error: AgentReport | undefined;

  onLine(line: string, stream: "stdout" | "stderr"): void {
    if (stream !== "stdout") return;
    const ev = parseJsonObject(line);
    if (!ev) return;
    this.usage.sessionId = str(ev.sessionID) ?? this.usage.sessionId;
    if (ev.type === "step_finish") {
      const part = obj(ev.part);
      const tokens = obj(part.tokens);
      const cache = obj(tokens.cache);
      this.usage.turns = (this.usage.turns ?? 0) + 1;
      this.usage.inputTokens = add(this.usage.inputTokens, tokens.input);
      this.usage.outputTokens = add(this.usage.outputTokens, tokens.output);
      this.usage.cacheReadTokens = add(this.usage.cacheReadTokens, cache.read);
      this.usage.cacheWriteTokens = add(this.usage.cacheWriteTokens, cache.write);
      this.usage.costUsd = add(this.usage.costUsd, part.cost);
      if (part.reason === "stop") this.stopped = true;
    }
    if (ev.type === "error") this.error = readError(obj(ev.error));
  }

  finish(): AgentReport {
    const usage = dropUndefined(this.usage);
    if (this.error) return { ...this.error, usage };
    return { status: this.stopped ? "ok" : "unknown", usage };
  }
}

function readError(e: Record<string, unknown>): AgentReport {
  const data = obj(e.data);
  const status = num(data.statusCode);
  const error = str(data.message) ?? str(e.name) ?? "error";
  const verdict = classifyRateLimit(error, status);
  const report: AgentReport = {
    status: "error",
    error: status ? `${error} (HTTP ${status})` : error,
    usage: {},
  };
  if (!verdict.rateLimited) return report;
  const retryAfterMs = verdict.retryAfterMs ?? retryAfterHeader(obj(data.responseHeaders)["retry-after"]);
  return { ...report, rateLimited: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** A retry-after header: seconds, or an HTTP date. */
export function retryAfterHeader(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
