import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { claudePreset } from "../../../src/agent/index.js";
import { start } from "../../fixtures/model-servers/anthropic-messages.js";
import { makeSandbox, realCli, runIn, skipReason, timed, useCliSuite } from "./helpers.js";

const cli = realCli("claude");

describe.skipIf(!cli)(
  `Claude Code, the real CLI, against a scripted Messages API${cli ? "" : ` (${skipReason("claude", "@anthropic-ai/claude-code")})`}`,
  () => {
    const suite = useCliSuite({
      name: "claude",
      cli: cli!,
      start,
    });

    const env = (key: string) => ({
      ANTHROPIC_BASE_URL: suite.server.url,
      ANTHROPIC_API_KEY: key,
      CLAUDE_CONFIG_DIR: path.join(suite.sb.scratch, "claude"),
    });

    it("writes and edits files through its own tools; session, turns, tokens and cost are read", async () => {
      const key =
        "usage:1000:100|write:src/hello.txt:hello from claude%0A|read:README.md|edit:README.md:# demo:# demo, edited|text:Done.";
      const r = await runIn(suite.sb, claudePreset({ maxRetries: 0 }), env(key), {
        model: "claude-sonnet-4-5",
      });
      timed("claude write+read+edit", r);
      expect(r.reason).toBeNull();
      expect(r.ok).toBe(true);
      expect(await readFile(path.join(suite.sb.repo, "src/hello.txt"), "utf8")).toBe("hello from claude\n");
      expect(await readFile(path.join(suite.sb.repo, "README.md"), "utf8")).toBe("# demo, edited\n");
      const u = r.report.usage;
      expect(r.report.status).toBe("ok");
      expect(u.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(u.turns).toBe(4);
      expect(u.inputTokens).toBe(4000);
      expect(u.outputTokens).toBe(400);
      // Claude Code prices the usage the server reported: Sonnet 4.5 at $3 / $15 per million tokens.
      expect(u.costUsd).toBeCloseTo(4000 * 3e-6 + 400 * 15e-6, 6);
      const posts = suite.server.requests.filter((q) => q.method === "POST");
      expect(posts.map((q) => q.answer)).toEqual([
        "write src/hello.txt",
        "read README.md",
        "edit README.md",
        'text "Done."',
      ]);
      expect(posts.every((q) => q.path === "/v1/messages?beta=true")).toBe(true);
    });

    it("fails the attempt with the CLI's message on a scripted API error", async () => {
      const r = await runIn(
        suite.sb,
        claudePreset({ maxRetries: 0 }),
        env("error:500:scripted database on fire"),
      );
      timed("claude api error", r);
      expect(r.ok).toBe(false);
      expect(r.report.status).toBe("error");
      expect(r.report.error).toContain("scripted database on fire");
      expect(r.reason).toContain("scripted database on fire");
      expect(r.report.rateLimited).toBeUndefined();
    });

    it("reports a 429 as rate-limited with the retry-after it honoured", async () => {
      const r = await runIn(suite.sb, claudePreset({ maxRetries: 1 }), env("rate-limit:1"));
      timed("claude 429", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", rateLimited: true, retryAfterMs: 1000 });
    });

    it("reports a 529 overloaded reply as rate-limited", async () => {
      const r = await runIn(suite.sb, claudePreset({ maxRetries: 0 }), env("overloaded"));
      timed("claude 529", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", rateLimited: true });
    });

    it("one stateless server serves three agents at once, each on its own script", async () => {
      const sandboxes = await Promise.all([makeSandbox(), makeSandbox(), makeSandbox()]);
      try {
        const results = await Promise.all(
          sandboxes.map((s, i) =>
            runIn(s, claudePreset({ maxRetries: 0 }), {
              ANTHROPIC_BASE_URL: suite.server.url,
              ANTHROPIC_API_KEY: `write:agent-${i}.txt:agent ${i}|text:ok`,
              CLAUDE_CONFIG_DIR: path.join(s.scratch, "claude"),
            }),
          ),
        );
        for (const [i, r] of results.entries()) timed(`claude parallel #${i}`, r);
        expect(results.map((r) => r.ok)).toEqual([true, true, true]);
        const contents = await Promise.all(
          sandboxes.map((s, i) => readFile(path.join(s.repo, `agent-${i}.txt`), "utf8")),
        );
        expect(contents).toEqual(["agent 0", "agent 1", "agent 2"]);
      } finally {
        await Promise.all(sandboxes.map((s) => s.cleanup()));
      }
    });
  },
);
