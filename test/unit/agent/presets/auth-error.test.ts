import { describe, expect, it } from "vitest";
import { classifyFatal } from "../../../../src/agent/presets/readers/auth-error.js";

/** The messages each agent CLI prints when retrying cannot help (issue 20). */
describe("classifyFatal", () => {
  it.each([
    ["claude", "Invalid API key · Please run /login"],
    ["claude", "Not logged in · Please run /login"],
    [
      "claude",
      'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    ],
    ["codex", "unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***"],
    ["codex", "Not logged in. Please run `codex login`"],
    ["gemini", "API key not valid. Please pass a valid API key. [API_KEY_INVALID]"],
    ["gemini", "When using Gemini API, you must specify the GEMINI_API_KEY environment variable."],
    ["aider", "litellm.AuthenticationError: AnthropicException - invalid x-api-key"],
    ["opencode", "ProviderAuthError: No API key found for provider anthropic"],
  ])("%s: %s is an authentication error", (_cli, message) => {
    expect(classifyFatal(message)).toBe("authentication");
  });

  it.each([
    'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":"model: claude-nope"}}',
    "The model `gpt-nope` does not exist or you do not have access to it. (model_not_found)",
    "models/gemini-nope is not found for API version v1beta",
  ])("%s is a configuration error", (message) => {
    expect(classifyFatal(message)).toBe("configuration");
  });

  it.each([
    "API Error: Repeated 529 Overloaded errors",
    "rate limit exceeded, retry after 20 seconds",
    "exited with code 1: tests failed",
    "API Error: 500 Internal server error",
  ])("%s is not", (message) => {
    expect(classifyFatal(message)).toBeUndefined();
  });
});
