import { describe, expect, it } from "vitest";
import { getPreset, listPresets } from "../../../src/agent/index.js";
import { OrchardError } from "../../../src/errors.js";

describe("preset registry", () => {
  it("lists command and scripted, sorted, with descriptions", () => {
    const names = listPresets().map((p) => p.name);
    expect(names).toContain("command");
    expect(names).toContain("scripted");
    expect(names).toEqual([...names].sort());
    for (const p of listPresets()) expect(p.description).not.toBe("");
  });

  it("builds the command preset from its template", () => {
    expect(getPreset("command", { command: "x {task_id}" }).name).toBe("command");
  });

  it("asks for the template when the command preset has none", () => {
    expect(() => getPreset("command")).toThrow(/--agent-command/);
  });

  it("names the known agents for an unknown one", () => {
    try {
      getPreset("gpt-9000");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(OrchardError);
      expect((err as OrchardError).code).toBe("AGENT_UNKNOWN");
      expect((err as OrchardError).message).toMatch(
        /unknown agent "gpt-9000"; known agents: .*command.*scripted/,
      );
    }
  });

  it("does not mistake Object.prototype names for presets", () => {
    expect(() => getPreset("toString")).toThrow(OrchardError);
  });
});
