import { describe, expect, it } from "vitest";
import { redactCommandLine } from "../../../src/agent/index.js";
import { normalizeOptions } from "../../../src/engine/options.js";
import { assertResumable, optionsForStore } from "../../../src/engine/stored-options.js";

describe("redactCommandLine", () => {
  it.each([
    ["agent --api-key sk-ant-abcdefghijklmnopqrstuvwx {prompt_file}", "agent --api-key *** {prompt_file}"],
    ["agent --token=abc --model m", "agent --token=*** --model m"],
    ["OPENAI_API_KEY=abc agent", "OPENAI_API_KEY=*** agent"],
    ["curl -H 'Authorization: Bearer abc.def' x", "curl -H 'Authorization: Bearer ***' x"],
    ["tool ghp_abcdefghijklmnopqrstuvwxyz0123456789 -p {prompt_file}", "tool *** -p {prompt_file}"],
    ['tool --password "two words" x', "tool --password *** x"],
    [
      "my-agent --prompt-file {prompt_file} --model sonnet",
      "my-agent --prompt-file {prompt_file} --model sonnet",
    ],
  ])("%s", (line, shown) => {
    expect(redactCommandLine(line)).toBe(shown);
  });
});

describe("stored run options", () => {
  const options = normalizeOptions({
    agent: "command",
    agentCommand: "agent --api-key sk-ant-abcdefghijklmnopqrstuvwx",
    agentArgs: ["--token", "xyz"],
  });

  it("keep no secret-looking value", () => {
    const stored = optionsForStore(options);
    expect(stored).not.toContain("sk-ant-");
    expect(stored).not.toContain("xyz");
    expect(JSON.parse(stored).agentCommand).toBe("agent --api-key ***");
  });

  it("make a resume ask again for what they lost, and only for that", () => {
    const stored = JSON.parse(optionsForStore(options));
    expect(() => assertResumable(stored, {})).toThrow(/--agent-command and --agent-arg/);
    expect(() => assertResumable(stored, { agentCommand: "x", agentArgs: [] })).not.toThrow();
    const plain = JSON.parse(
      optionsForStore(normalizeOptions({ agent: "command", agentCommand: "agent -p" })),
    );
    expect(() => assertResumable(plain, {})).not.toThrow();
  });
});
