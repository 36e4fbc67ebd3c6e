import type { AgentUsage } from "../../../store/types.js";
import type { AgentReport, OutputReader } from "../../types.js";
import { type Json, num, obj, parseJsonObject, str } from "./json-lines.js";
import { classifyRateLimit } from "./rate-limit.js";

/**
 * Reads `claude -p --output-format stream-json --verbose`: one JSON object per line —
 * `system`/`init` (session_id, model), `system`/`api_retry` (error_status, retry_delay_ms), `assistant`,
 * `user`, and a final `result` (subtype, is_error, api_error_status, num_turns, total_cost_usd, usage,
 * permission_denials, result). Without a `result` line the CLI said nothing conclusive: status "unknown".
 */
export class ClaudeStreamReader implements OutputReader {
  private usage: AgentUsage = {};
  private result: Json | null = null;
  private lastRetry: { status?: number; delayMs?: number } = {};

  onLine(line: string, stream: "stdout" | "stderr"): void {
    if (stream !== "stdout") return;
    const ev = parseJsonObject(line);
    if (!ev) return;
    const sessionId = str(ev.session_id);
    if (sessionId) this.usage.sessionId = sessionId;
    if (ev.type === "system" && ev.subtype === "init") this.usage.model = str(ev.model) ?? this.usage.model;
    if (ev.type === "system" && ev.subtype === "api_retry") {
      this.lastRetry = { status: num(ev.error_status), delayMs: num(ev.retry_delay_ms) };
    }
    if (ev.type === "result") this.result = ev;
  }

  finish(): AgentReport {
    const r = this.result;
    if (!r) return { status: "unknown", usage: this.usage };
    const u = obj(r.usage);
    const usage: AgentUsage = {
      ...this.usage,
      turns: num(r.num_turns),
      inputTokens: num(u.input_tokens),
      outputTokens: num(u.output_tokens),
      cacheReadTokens: num(u.cache_read_input_tokens),
      cacheWriteTokens: num(u.cache_creation_input_tokens),
      costUsd: num(r.total_cost_usd),
    };
    const failed = r.is_error === true || (str(r.subtype) ?? "success") !== "success";
    if (!failed) return { status: "ok", usage: dropUndefined(usage) };
    const apiStatus = num(r.api_error_status);
    const error = errorText(r);
    const verdict = classifyRateLimit(error, apiStatus);
    const report: AgentReport = { status: "error", error, usage: dropUndefined(usage) };
    if (!verdict.rateLimited) return report;
    // The CLI honours retry-after on a 429 and says how long it waited in its last api_retry line.
    const retryAfterMs =
      verdict.retryAfterMs ??
      (apiStatus === 429 && this.lastRetry.status === 429 ? this.lastRetry.delayMs : undefined);
    return { ...report, rateLimited: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
}

function errorText(r: Json): string {
  const text = str(r.result);
  if (text) return text;
  const subtype = str(r.subtype) ?? "error";
  const denials = Array.isArray(r.permission_denials) ? r.permission_denials.length : 0;
  const why: Record<string, string> = {
    error_max_turns: "stopped at its turn limit",
    error_max_budget_usd: "stopped at its budget (--max-budget-usd)",
    error_during_execution: "failed during execution",
  };
  const base = why[subtype] ?? subtype;
  return denials > 0 ? `${base} (${denials} tool use(s) denied by the permission mode)` : base;
}

export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
