/**
 * Recognises rate-limit and overloaded errors in the words the CLIs use, so the engine can back off and
 * retry the attempt later instead of failing it. Measured on Claude Code 2.1, Codex 0.169 and Gemini CLI
 * 0.61 against scripted 429/503/529 replies (test/fixtures/model-servers/captures).
 */

const PATTERNS: RegExp[] = [
  /\b429\b/,
  /\b529\b/,
  /too many requests/i,
  /rate[ _-]?limit/i,
  /overloaded/i,
  /RESOURCE_EXHAUSTED/,
  // Codex words a 5xx as "high demand" and a 503 as "at capacity".
  /high demand/i,
  /at capacity/i,
  /\bquota\b/i,
];

export interface RateLimitVerdict {
  rateLimited: boolean;
  retryAfterMs?: number;
}

export function classifyRateLimit(message: string | undefined, status?: number): RateLimitVerdict {
  const byStatus = status === 429 || status === 529;
  const byText = message !== undefined && PATTERNS.some((p) => p.test(message));
  if (!byStatus && !byText) return { rateLimited: false };
  const retryAfterMs = message ? retryAfterIn(message) : undefined;
  return retryAfterMs === undefined ? { rateLimited: true } : { rateLimited: true, retryAfterMs };
}

/** "Suggested retry after 3s." (Gemini), "try again in 1.5s" (OpenAI), "retry after 20 seconds". */
export function retryAfterIn(message: string): number | undefined {
  const m = /(?:retry after|try again in)\s+(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b/i.exec(message);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] === "ms" ? n : n * 1000);
}
