import { describe, expect, it } from "vitest";
import { LineSplitter, safeCut } from "../../../src/agent/process/lines.js";
import { redactArgv, secretScrubber } from "../../../src/agent/process/redact.js";

describe("LineSplitter", () => {
  it("joins lines split across chunks, multi-byte characters included", () => {
    const s = new LineSplitter();
    const euro = Buffer.from("€");
    expect(s.push(Buffer.concat([Buffer.from("ab"), euro.subarray(0, 1)]))).toEqual([]);
    expect(s.push(Buffer.concat([euro.subarray(1), Buffer.from("c\r\nd\n\ne")]))).toEqual(["ab€c", "d", ""]);
    expect(s.end()).toEqual(["e"]);
    expect(s.end()).toEqual([]);
  });

  it("cuts a line with no newline at 1 MiB so memory stays bounded", () => {
    const s = new LineSplitter();
    const lines = s.push(Buffer.alloc(2.5 * 1024 * 1024, "x"));
    expect(lines.map((l) => l.length)).toEqual([1024 * 1024, 1024 * 1024]);
    expect(s.end()[0]).toHaveLength(0.5 * 1024 * 1024);
  });

  it("masks a secret before cutting, and cuts before a secret's beginning, never inside it", () => {
    const secret = "ghp_PLANTEDsecret0123456789";
    const s = new LineSplitter(secretScrubber({ GH_TOKEN: secret }));
    const mib = 1024 * 1024;
    // A whole secret is masked first; the next one has only begun when the line passes 1 MiB.
    // Masked, the line is 1 MiB + 4 and ends with the first 8 characters of the next secret: "ghp_" before the cut.
    const first = s.push(Buffer.from(`${secret}${"x".repeat(mib - 7)}${secret.slice(0, 8)}`));
    expect(first).toEqual([`***${"x".repeat(mib - 7)}`]);
    expect(s.push(Buffer.from(`${secret.slice(8)}y\n`))).toEqual(["***y"]);
  });
});

describe("safeCut", () => {
  it("moves the cut back to where a secret might begin", () => {
    expect(safeCut("abcdefghp_PL", 12, ["ghp_PLANTED"])).toBe(6);
    expect(safeCut("abcdefxg", 8, ["ghp_PLANTED"])).toBe(7);
    expect(safeCut("abcdefxy", 8, ["ghp_PLANTED"])).toBe(8);
  });
});

describe("redactArgv", () => {
  it("masks values of credential-looking flags", () => {
    expect(redactArgv(["x", "--api-key", "sk-1", "--token=abc", "--model", "m", "-p", "API_KEY=z"])).toEqual([
      "x",
      "--api-key",
      "***",
      "--token=***",
      "--model",
      "m",
      "-p",
      "API_KEY=***",
    ]);
  });
});
