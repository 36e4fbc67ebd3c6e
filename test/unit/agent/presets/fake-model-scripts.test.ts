import { describe, expect, it } from "vitest";
import {
  DEFAULT_USAGE,
  type Played,
  parseScript,
  ScriptError,
  turnAt,
  turnFor,
} from "../../../fixtures/model-servers/scripts.js";

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

  it("fills {task} from the task id Orchard's prompt names, wherever the request carries it", () => {
    const body = {
      messages: [{ role: "user", content: [{ type: "text", text: "x\n\n## Your task: 2.3 Add it\n" }] }],
    };
    const played: Played = new Set();
    expect(turnFor("write:f{task}.txt:task {task}", body, 0, played).step).toEqual({
      kind: "write",
      path: "f2.3.txt",
      content: "task 2.3",
    });
    expect(turnFor("write:f{task}.txt:x", {}, 0, played).step).toMatchObject({ path: "f{task}.txt" });
  });

  it("plays a once: step once per server and task, then leaves it out", () => {
    const key = "once:rate-limit:2|write:a.txt:x|text:ok";
    const task = (id: string) => ({
      contents: [{ role: "user", parts: [{ text: `## Your task: ${id} T` }] }],
    });
    const played: Played = new Set();
    expect(turnFor(key, task("1"), 0, played).step).toEqual({ kind: "rate-limit", retryAfterS: 2 });
    expect(turnFor(key, task("1"), 0, played).step).toMatchObject({ kind: "write" });
    expect(turnFor(key, task("1"), 1, played).step).toEqual({ kind: "text", text: "ok" });
    expect(turnFor(key, task("2"), 0, played).step).toMatchObject({ kind: "rate-limit" });
    expect(turnFor(key, task("1"), 0, new Set()).step).toMatchObject({ kind: "rate-limit" });
  });
});
