import { afterEach, describe, expect, it } from "vitest";
import { aiderPreset } from "../../../../src/agent/presets/aider.js";
import { claudePreset } from "../../../../src/agent/presets/claude.js";
import { binaryEnvVar, binaryFor } from "../../../../src/agent/presets/cli/binary.js";
import { codexPreset } from "../../../../src/agent/presets/codex.js";
import { geminiPreset } from "../../../../src/agent/presets/gemini.js";
import { getPreset, listPresets } from "../../../../src/agent/presets/index.js";
import { opencodePreset } from "../../../../src/agent/presets/opencode.js";
import type { AgentContext } from "../../../../src/agent/types.js";

const PROMPT = "Write hello.txt; secret-looking words stay off argv";

const ctx = (over: Partial<AgentContext> = {}): AgentContext => ({
  runId: "exec_1",
  taskId: "1.1",
  slotDir: "/slots/wt-1",
  prompt: PROMPT,
  promptFile: "/state/prompts/1.1.md",
  taskFile: "/state/prompts/1.1.json",
  env: {},
  ...over,
});

afterEach(() => {
  delete process.env.ORCHARD_CLAUDE_BIN;
});

describe("agent CLI presets", () => {
  it("never put the prompt on argv", () => {
    for (const preset of [claudePreset(), codexPreset(), geminiPreset(), aiderPreset(), opencodePreset()]) {
      const inv = preset.invocation(ctx());
      expect(inv.argv.join(" ")).not.toContain(PROMPT);
      expect(inv.stdin === "prompt" || inv.argv.includes(ctx().promptFile)).toBe(true);
    }
  });

  it("claude: headless stream-json with --verbose and an explicit permission mode, prompt on stdin", () => {
    const inv = claudePreset().invocation(ctx());
    expect(inv.argv).toEqual([
      "claude",
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--permission-mode",
      "acceptEdits",
    ]);
    expect(inv.stdin).toBe("prompt");
    expect(inv.env).toEqual({ CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", CLAUDE_CODE_MAX_RETRIES: "3" });
  });

  it("claude: a CLAUDE_CODE_MAX_RETRIES of the user's own stays in force (the preset sets none over it)", () => {
    const before = process.env.CLAUDE_CODE_MAX_RETRIES;
    process.env.CLAUDE_CODE_MAX_RETRIES = "0";
    try {
      const inv = claudePreset().invocation(ctx());
      expect(inv.env?.CLAUDE_CODE_MAX_RETRIES).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.CLAUDE_CODE_MAX_RETRIES;
      else process.env.CLAUDE_CODE_MAX_RETRIES = before;
    }
  });

  it("claude: allowed tools, model, budget, resume and retries; the context's model and budget win", () => {
    const preset = claudePreset({
      allowedTools: ["Bash(git:*)", "Edit"],
      model: "opus",
      maxBudgetUsd: 2,
      resumeSessionId: "abc",
      maxRetries: 0,
    });
    const inv = preset.invocation(ctx({ model: "sonnet", budgetUsd: 0.5, extraArgs: ["--add-dir", "/x"] }));
    expect(inv.argv.slice(7)).toEqual([
      "--allowedTools",
      "Bash(git:*),Edit",
      "--model",
      "sonnet",
      "--max-budget-usd",
      "0.5",
      "--resume",
      "abc",
      "--add-dir",
      "/x",
    ]);
    expect(inv.env?.CLAUDE_CODE_MAX_RETRIES).toBe("0");
  });

  it("claude: IS_SANDBOX only for bypassPermissions inside Orchard's sandbox", () => {
    expect(
      claudePreset({ permissionMode: "bypassPermissions" }).invocation(ctx()).env?.IS_SANDBOX,
    ).toBeUndefined();
    expect(
      claudePreset({ permissionMode: "acceptEdits", sandboxed: true }).invocation(ctx()).env?.IS_SANDBOX,
    ).toBeUndefined();
    const inv = claudePreset({ permissionMode: "bypassPermissions", sandboxed: true }).invocation(ctx());
    expect(inv.env?.IS_SANDBOX).toBe("1");
    expect(inv.argv).toContain("bypassPermissions");
  });

  it("codex: exec --json in workspace-write, offline, prompt from stdin via '-'", () => {
    const inv = codexPreset({ config: ['model_provider="x"'] }).invocation(ctx({ model: "gpt-5.5" }));
    expect(inv.argv).toEqual([
      "codex",
      "exec",
      "--json",
      "--color",
      "never",
      "-s",
      "workspace-write",
      "-m",
      "gpt-5.5",
      "--disable",
      "plugins",
      "-c",
      "analytics.enabled=false",
      "-c",
      'model_provider="x"',
      "-",
    ]);
    expect(inv.stdin).toBe("prompt");
    expect(codexPreset({ offline: false, sandbox: "read-only" }).invocation(ctx()).argv).toEqual([
      "codex",
      "exec",
      "--json",
      "--color",
      "never",
      "-s",
      "read-only",
      "-",
    ]);
  });

  it("gemini: -p with an empty prompt (stdin carries it), stream-json, auto_edit, trusted workspace", () => {
    const inv = geminiPreset({ model: "gemini-2.5-pro" }).invocation(ctx());
    expect(inv.argv).toEqual([
      "gemini",
      "-p",
      "",
      "--output-format",
      "stream-json",
      "--approval-mode",
      "auto_edit",
      "-m",
      "gemini-2.5-pro",
    ]);
    expect(inv.env).toEqual({ GEMINI_CLI_TRUST_WORKSPACE: "true" });
    expect(inv.stdin).toBe("prompt");
  });

  it("aider: the prompt file, yes-always, Orchard commits, stdin closed", () => {
    const inv = aiderPreset({ editFormat: "whole" }).invocation(ctx({ model: "sonnet" }));
    expect(inv.argv.slice(0, 4)).toEqual([
      "aider",
      "--message-file",
      "/state/prompts/1.1.md",
      "--yes-always",
    ]);
    expect(inv.argv).toContain("--no-auto-commits");
    expect(inv.argv).toContain("--no-gitignore");
    expect(inv.argv.slice(-4)).toEqual(["--model", "sonnet", "--edit-format", "whole"]);
    expect(inv.stdin).toBe("ignore");
  });

  it("opencode: run --format json, prompt on stdin", () => {
    const inv = opencodePreset({ agent: "build" }).invocation(ctx({ model: "anthropic/claude-sonnet-4-5" }));
    expect(inv.argv).toEqual([
      "opencode",
      "run",
      "--format",
      "json",
      "--model",
      "anthropic/claude-sonnet-4-5",
      "--agent",
      "build",
    ]);
    expect(inv.stdin).toBe("prompt");
  });

  it("each CLI's binary is overridable by ORCHARD_<NAME>_BIN", () => {
    expect(binaryEnvVar("claude")).toBe("ORCHARD_CLAUDE_BIN");
    expect(binaryFor("codex", { ORCHARD_CODEX_BIN: "/opt/codex" })).toBe("/opt/codex");
    expect(binaryFor("codex", { ORCHARD_CODEX_BIN: "" })).toBe("codex");
    process.env.ORCHARD_CLAUDE_BIN = "/opt/bin/claude";
    expect(claudePreset().invocation(ctx()).argv[0]).toBe("/opt/bin/claude");
  });

  it("are in the registry under their names", () => {
    const names = listPresets().map((p) => p.name);
    for (const name of ["claude", "codex", "gemini", "aider", "opencode"]) {
      expect(names).toContain(name);
      const preset = getPreset(name);
      expect(preset.name).toBe(name);
      expect(preset.binary).toBe(name);
      expect(preset.createOutputReader().finish().status).toBe("unknown");
    }
  });
});
