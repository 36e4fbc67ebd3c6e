import type { AgentUsage } from "../../../store/types.js";
import type { AgentReport, OutputReader } from "../../types.js";
import { dropUndefined } from "./claude-reader.js";
import { add, innerMessage, obj, parseJsonObject, str } from "./json-lines.js";
import { classifyRateLimit } from "./rate-limit.js";

/**
 * Reads `codex exec --json`: `thread.started` (thread_id, the session), `turn.started`,
 * `item.started` / `item.completed` (agent_message, file_change, command_execution …),
 * `turn.completed` (usage, no cost) and `turn.failed` / `error`. Codex counts one turn per prompt, however
 * many model calls it made; `turns` is that count.
 */
export class CodexJsonReader implements OutputReader {
  private usage: AgentUsage = {};
  private completed = false;
  private failure: string | undefined;

  onLine(line: string, stream: "stdout" | "stderr"): void {
    if (stream !== "stdout") return;
    const ev = parseJsonObject(line);
    if (!ev) return;
    switch (ev.type) {
      case "thread.started":
        this.usage.sessionId = str(ev.thread_id) ?? this.usage.sessionId;
        break;
      case "turn.completed": {
        const u = obj(ev.usage);
        this.completed = true;
        this.usage.turns = (this.usage.turns ?? 0) + 1;
        this.usage.inputTokens = add(this.usage.inputTokens, u.input_tokens);
        this.usage.outputTokens = add(this.usage.outputTokens, u.output_tokens);
        this.usage.cacheReadTokens = add(this.usage.cacheReadTokens, u.cached_input_tokens);
        this.usage.cacheWriteTokens = add(this.usage.cacheWriteTokens, u.cache_write_input_tokens);
        break;
      }
      case "turn.failed":
        this.failure = str(obj(ev.error).message) ?? this.failure ?? "turn failed";
        break;
      case "error":
        // `error` also reports retries that later succeed; it only counts if no turn completes after it.
        this.failure = str(ev.message) ?? this.failure;
        this.completed = false;
        break;
    }
  }

  finish(): AgentReport {
    const usage = dropUndefined(this.usage);
    if (this.failure !== undefined && !this.completed) {
      const error = innerMessage(this.failure);
      const verdict = classifyRateLimit(error);
      return { status: "error", error, usage, ...(verdict.rateLimited ? verdict : {}) };
    }
    return { status: this.completed ? "ok" : "unknown", usage };
  }
}
