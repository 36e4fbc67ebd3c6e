import { describe, expect, it } from "vitest";
import { DEFAULT_USAGE, parseScript, ScriptError, turnAt } from "../../../fixtures/model-servers/scripts.js";

// The fake model servers' script language: the real-CLI tests stand on it.
describe("fake model server scripts", () => {
  it("parses steps with percent-decoded arguments and usage that applies to later turns", () => {
    const turns = parseScript("write:a/b.txt:line 1%0Aline: 2|usage:10:2|text:done%7Cok");
    expect(turns).toEqual([
      { step: { kind: "write", path: "a/b.txt", content: "line 1\nline: 2" }, usage: DEFAULT_USAGE },
      { step: { kind: "text", text: "done|ok" }, usage: { input: 10, output: 2 } },
    ]);
  });

  it("knows named scripts, errors, rate limits and edits", () => {
    expect(parseScript("rate-limited")[0]?.step).toEqual({ kind: "rate-limit", retryAfterS: 7 });
    expect(parseScript("error:503:busy")[0]?.step).toEqual({ kind: "error", status: 503, message: "busy" });
    expect(parseScript("edit:f:old:new")[0]?.step).toEqual({
      kind: "edit",
      path: "f",
      old: "old",
      new: "new",
    });
  });

  it("answers a plain 'done' past the end of the script", () => {
    expect(turnAt(parseScript("say-done"), 5).step).toEqual({ kind: "text", text: "done" });
  });

  it("rejects keys that are not scripts", () => {
    expect(() => parseScript("sk-real-looking-key")).toThrow(ScriptError);
    expect(() => parseScript("write")).toThrow(ScriptError);
    expect(() => parseScript("error:abc:x")).toThrow(ScriptError);
  });
});
