import type { AgentUsage } from "../../../store/types.js";
import type { AgentReport, OutputReader } from "../../types.js";
import { dropUndefined } from "./claude-reader.js";
import { classifyRateLimit } from "./rate-limit.js";

/**
 * Reads Aider's plain-text output (it has no machine-readable mode):
 *   "Model: anthropic/claude-sonnet-4-5 with diff edit format"
 *   "Tokens: 2.3k sent, 150 received. Cost: $0.01 message, $0.02 session."
 *   "litellm.RateLimitError: …" / "litellm.BadRequestError: …" / "litellm.InternalServerError: … Overloaded"
 * Each "Tokens:" line is one model call. Without an error line the run is judged by its exit code alone.
 */
export class AiderTextReader implements OutputReader {
  private usage: AgentUsage = {};
  private error: string | undefined;

  onLine(line: string): void {
    const text = line.trim();
    const model = /^Model: (\S+)/.exec(text);
    if (model?.[1] && !this.usage.model) this.usage.model = model[1];
    const tokens =
      /^Tokens: ([\d.]+k?) sent(?:, ([\d.]+k?) cache write)?(?:, ([\d.]+k?) cache hit)?, ([\d.]+k?) received\./.exec(
        text,
      );
    if (tokens) {
      this.usage.turns = (this.usage.turns ?? 0) + 1;
      this.usage.inputTokens = (this.usage.inputTokens ?? 0) + count(tokens[1]);
      if (tokens[2]) this.usage.cacheWriteTokens = (this.usage.cacheWriteTokens ?? 0) + count(tokens[2]);
      if (tokens[3]) this.usage.cacheReadTokens = (this.usage.cacheReadTokens ?? 0) + count(tokens[3]);
      this.usage.outputTokens = (this.usage.outputTokens ?? 0) + count(tokens[4]);
      const session = /\$([\d.]+) session/.exec(text);
      if (session?.[1]) this.usage.costUsd = Number(session[1]);
    }
    const err = /^(?:litellm\.)?(\w*(?:Error|Exception)): (.*)$/.exec(text);
    if (
      err?.[1] &&
      /litellm|RateLimit|APIError|BadRequest|Authentication|ServiceUnavailable|InternalServer/.test(
        err[1] + text,
      )
    ) {
      this.error = `${err[1]}: ${err[2] ?? ""}`.trim();
    }
    if (/has rate limited you|is overloaded/i.test(text)) this.error = text;
  }

  finish(): AgentReport {
    const usage = dropUndefined(this.usage);
    if (!this.error) return { status: "unknown", usage };
    const verdict = classifyRateLimit(this.error);
    return { status: "error", error: this.error, usage, ...(verdict.rateLimited ? verdict : {}) };
  }
}

/** "2.3k" → 2300. */
function count(s: string | undefined): number {
  if (!s) return 0;
  return Math.round(s.endsWith("k") ? Number(s.slice(0, -1)) * 1000 : Number(s));
}
