import type { AgentUsage } from "../../../store/types.js";
import type { AgentReport, OutputReader } from "../../types.js";
import { dropUndefined } from "./claude-reader.js";
import { innerMessage, type Json, num, obj, parseJsonObject, str } from "./json-lines.js";
import { classifyRateLimit } from "./rate-limit.js";

/**
 * Reads `gemini -p --output-format stream-json`: `init` (session_id, model), `message` (user or
 * assistant, assistant text in deltas), `tool_use`, `tool_result`, `error`, and a final `result`
 * (status, error, stats with tokens; no cost). Gemini reports no turn count: a turn is counted each time
 * the model speaks (a message or tool call) after the user or a tool result.
 */
export class GeminiStreamReader implements OutputReader {
  private usage: AgentUsage = {};
  private result: Json | null = null;
  private lastError: string | undefined;
  private modelSpeaking = false;
  private turns = 0;

  onLine(line: string, stream: "stdout" | "stderr"): void {
    if (stream !== "stdout") return;
    const ev = parseJsonObject(line);
    if (!ev) return;
    switch (ev.type) {
      case "init":
        this.usage.sessionId = str(ev.session_id) ?? this.usage.sessionId;
        this.usage.model = str(ev.model) ?? this.usage.model;
        break;
      case "message":
        if (ev.role === "assistant") this.modelSpeaks();
        else this.modelSpeaking = false;
        break;
      case "tool_use":
        this.modelSpeaks();
        break;
      case "tool_result":
        this.modelSpeaking = false;
        break;
      case "error":
        this.lastError = str(ev.message) ?? this.lastError;
        break;
      case "result":
        this.result = ev;
        break;
    }
  }

  private modelSpeaks(): void {
    if (!this.modelSpeaking) this.turns += 1;
    this.modelSpeaking = true;
  }

  finish(): AgentReport {
    const r = this.result;
    const stats = obj(r?.stats);
    const usage = dropUndefined({
      ...this.usage,
      turns: this.turns || undefined,
      inputTokens: num(stats.input_tokens),
      outputTokens: num(stats.output_tokens),
      cacheReadTokens: num(stats.cached),
    });
    if (!r) return this.lastError ? failure(this.lastError, usage) : { status: "unknown", usage };
    if (r.status === "success") return { status: "ok", usage };
    return failure(str(obj(r.error).message) ?? this.lastError ?? `status ${String(r.status)}`, usage);
  }
}

function failure(message: string, usage: AgentUsage): AgentReport {
  // Gemini wraps the API's words: "[API Error: {…json…}]" or "[API Error: text]\nPlease wait …".
  const error = innerMessage(message.replace(/^\[API Error: ([\s\S]*?)\]/, "API Error: $1"));
  const verdict = classifyRateLimit(error);
  return { status: "error", error, usage, ...(verdict.rateLimited ? verdict : {}) };
}
