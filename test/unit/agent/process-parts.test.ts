import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../src/agent/process/lines.js";
import { redactArgv } from "../../../src/agent/process/redact.js";
import { Tail } from "../../../src/agent/process/tail.js";

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
});

describe("Tail", () => {
  it("keeps the last bytes only", () => {
    const t = new Tail(10);
    t.push(Buffer.from("0123456"));
    t.push(Buffer.from("789ab"));
    expect(t.toString()).toBe("23456789ab");
    t.push(Buffer.from("ABCDEFGHIJKLMNOP"));
    expect(t.toString()).toBe("GHIJKLMNOP");
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
