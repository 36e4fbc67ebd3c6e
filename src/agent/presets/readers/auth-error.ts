/**
 * Recognises errors that retrying cannot fix — a wrong or missing API key, a CLI that is not logged in,
 * a model that does not exist — in the words each CLI uses, so that the engine stops instead of spending
 * minutes on the CLI's own retries and then another attempt (issue 20). Checked only on a failed run,
 * against the CLI's own error and its non-JSON output lines (never the model's text).
 */
const AUTH: RegExp[] = [
  // Claude Code: "Invalid API key · Please run /login", "Not logged in · Please run /login",
  // the API's {"type":"authentication_error"}, "OAuth token has expired".
  /invalid (x-)?api[ _-]?key/i,
  /authentication_error/,
  /not logged in/i,
  /please run \/login/i,
  /oauth token (has )?expired/i,
  // Codex / OpenAI: "Incorrect API key provided", "401 Unauthorized", "Please run `codex login`".
  /incorrect api key provided/i,
  /\b401\b[^\n]{0,40}unauthori[sz]ed|unauthori[sz]ed[^\n]{0,40}\b401\b/i,
  /codex login/i,
  // Gemini CLI: "API key not valid. Please pass a valid API key.", API_KEY_INVALID, UNAUTHENTICATED,
  // "When using Gemini API, you must specify the GEMINI_API_KEY environment variable", "Please set an Auth method".
  /api key not valid/i,
  /API_KEY_INVALID/,
  /\bUNAUTHENTICATED\b/,
  /must specify the \w+ environment variable/i,
  /please set an auth method/i,
  // Aider (litellm): "litellm.AuthenticationError: …"; OpenCode: "ProviderAuthError".
  /AuthenticationError/,
  /ProviderAuthError/,
  // Any of them: a key that is missing altogether.
  /\b(missing|no) api[ _-]?key\b|api[ _-]?key (is )?(missing|required|not (set|found))/i,
];

const CONFIG: RegExp[] = [
  // A model that does not exist or is not available to this account (Anthropic not_found_error, OpenAI
  // model_not_found, Gemini "models/x is not found", litellm NotFoundError, OpenCode ProviderModelNotFoundError).
  /not_found_error/,
  /model_not_found/,
  /\bmodels?\/[\w.-]+ is not found/i,
  /ModelNotFoundError/,
  /\b(unknown|invalid|unsupported) model\b/i,
  /model [^\n]{0,60}(does not exist|not found)/i,
];

export type FatalKind = "authentication" | "configuration";

export function classifyFatal(text: string | undefined): FatalKind | undefined {
  if (!text) return undefined;
  if (AUTH.some((p) => p.test(text))) return "authentication";
  if (CONFIG.some((p) => p.test(text))) return "configuration";
  return undefined;
}
