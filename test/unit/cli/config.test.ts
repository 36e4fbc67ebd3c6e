import { describe, expect, it } from "vitest";
import { parseProjectConfig } from "../../../src/cli/config.js";

const file = (lines: string[]) => `${lines.join("\n")}\n`;

describe("orchard.config.json (issue 21 item 4)", () => {
  it("keeps only the keys the file gives, validated by the engine's own option schema", () => {
    expect(
      parseProjectConfig(
        file(['{ "agent": "claude", "workers": 4, "verify": ["npm test"], "maxCostUsd": 5 }']),
      ),
    ).toEqual({ agent: "claude", workers: 4, verify: ["npm test"], maxCostUsd: 5 });
  });

  it("names the line and the key of a bad value, in words rather than the validator's", () => {
    const text = file(["{", '  "agent": "claude",', '  "workers": 0', "}"]);
    expect(() => parseProjectConfig(text)).toThrow('orchard.config.json:3: "workers": must be at least 1');
    const kind = file(["{", '  "onConflict": "merge"', "}"]);
    expect(() => parseProjectConfig(kind)).toThrow(
      'orchard.config.json:2: "onConflict": must be one of "retry", "fail"',
    );
    const type = file(["{", '  "agent": "claude",', "", '  "verify": "npm test"', "}"]);
    expect(() => parseProjectConfig(type)).toThrow('orchard.config.json:4: "verify": must be a list');
  });

  it("refuses an unknown key at its line, listing the known ones", () => {
    const text = file(["{", '  "agent": "claude",', '  "wrokers": 2', "}"]);
    expect(() => parseProjectConfig(text)).toThrow(
      /orchard\.config\.json:3: "wrokers": unknown key; known keys: .*workers/,
    );
  });

  it("refuses a run's batch range: that is a flag of one run, not a project default", () => {
    expect(() => parseProjectConfig('{ "startBatch": 2 }')).toThrow(/"startBatch": unknown key/);
  });

  it("names the line of a JSON syntax error", () => {
    const text = file(["{", '  "agent": "claude",', "}"]);
    expect(() => parseProjectConfig(text)).toThrow(/orchard\.config\.json:3: not valid JSON/);
    expect(() => parseProjectConfig("[1]")).toThrow(/must be a JSON object/);
  });
});
